import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, encodeMessage } from '../../../phone-agent/protocol';
import { SimulatedAgent } from '../../../phone-agent/simulator/agent/simulated-agent';
import { TestStation } from '../../../phone-agent/simulator/agent/test-station';
import { SimulatedWhatsApp } from '../../../phone-agent/simulator/whatsapp/simulated-whatsapp';
import { createLogger, setLogLevel } from '../util/log';
import { holdUpProcess, waitFor } from '../../../test/support/wait';
import { PhoneAudioLink } from './phone-audio-link';

setLogLevel('silent');

const ECHO = '15550100001';
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn();
});

/** A phone whose agent serves any number of forwards (loopback servers), with a connected echo call 1. */
async function phoneInCall() {
  const whatsapp = new SimulatedWhatsApp({ scenario: { contacts: [{ number: ECHO, name: 'Echo', behaviour: 'echo', answerAfterMs: 0 }] }, timing: { ringDelayMs: 5, lookupDelayMs: 5 } });
  const agent = new SimulatedAgent({
    whatsapp,
    device: { serialNo: 'virt-1', manufacturer: 'sip2wa', model: 'Virtual', androidVersion: '14', sdk: 34, account: '15550000001', whatsappVersion: '2.24', batteryLevel: 80, charging: true, temperatureDeciC: 300, networkType: 'wifi', signalLevel: 4 },
  });
  const forward = async (): Promise<{ port: number; server: net.Server }> => {
    const server = net.createServer((socket) => agent.attach(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.close());
    return { port: (server.address() as net.AddressInfo).port, server };
  };
  const first = await forward();
  const control = await TestStation.connect(first.port);
  cleanups.push(() => {
    agent.crash();
    control.close();
    whatsapp.stop();
  });
  await control.handshake();
  control.send({ type: 'dial', callId: 1, number: ECHO });
  await control.next('call-connected');
  return { agent, control, forward, port: first.port };
}

function link(port: number, heard: Int16Array[]): PhoneAudioLink {
  const l = new PhoneAudioLink({ port, software: 'test', callId: 1, log: createLogger('test'), onFrame: (f) => heard.push(f), pingIntervalMs: 50, pingTimeoutMs: 400 });
  cleanups.push(() => l.close('test over'));
  return l;
}

const frame = (v: number) => new Int16Array(320).fill(v);

describe('PhoneAudioLink', () => {
  it('opens the audio channel, starts the call audio and gets its frames echoed, none on control', async () => {
    const { port, control } = await phoneInCall();
    const heard: Int16Array[] = [];
    const l = link(port, heard);
    await waitFor('open', () => l.state === 'open');
    for (let i = 0; i < 5; i++) l.send(frame(100 + i));
    await waitFor('5 frames back', () => heard.length >= 5);
    expect(heard.map((f) => f[0])).toEqual([100, 101, 102, 103, 104]);
    expect(l.counts).toEqual({ toPhone: 5, fromPhone: 5, connects: 1 });
    expect(control.inbox.some((m) => m.type === 'audio' || m.type === 'error')).toBe(false);
  });

  it("keeps its connection through a stall of the station's own process twice the ping timeout long", async () => {
    const { port } = await phoneInCall();
    const heard: Int16Array[] = [];
    const l = link(port, heard);
    await waitFor('open', () => l.state === 'open');
    // Held up for 800 ms (timeout 400 ms): the agent's pongs wait unread, which is no hung agent.
    holdUpProcess(800);
    expect(l.send(frame(9))).toBe(true);
    await waitFor('the frame sent after the stall echoed', () => heard.length >= 1, 5_000);
    for (let i = 0; i < 10; i++) {
      l.send(frame(10 + i));
      await waitFor(`frame ${10 + i} echoed`, () => heard.length >= 2 + i, 5_000);
    }
    expect(l.counts.connects).toBe(1);
    expect(heard.map((f) => f[0])).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('reconnects when the agent closes its connection, and restarts the audio', async () => {
    const { port } = await phoneInCall();
    const heard: Int16Array[] = [];
    const l = link(port, heard);
    await waitFor('open', () => l.state === 'open');
    // Another audio connection replaces ours on the phone.
    const other = await TestStation.connect(port);
    await other.handshake(undefined, 'audio');
    await waitFor('reconnected', () => l.counts.connects === 2 && l.state === 'open', 5_000);
    l.send(frame(7));
    await waitFor('echo after the reconnect', () => heard.some((f) => f[0] === 7));
  });

  it('follows the forward to a new port', async () => {
    const { forward } = await phoneInCall();
    const a = await forward();
    const b = await forward();
    const heard: Int16Array[] = [];
    const l = link(a.port, heard);
    await waitFor('open on the first forward', () => l.state === 'open');
    a.server.close();
    l.setPort(b.port);
    await waitFor('open on the second forward', () => l.counts.connects === 2 && l.state === 'open', 5_000);
    l.send(frame(9));
    await waitFor('echo through the second forward', () => heard.some((f) => f[0] === 9));
  });

  it('gives up on a forward with no agent behind it (no hello), and keeps trying', async () => {
    const server = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.close());
    const states: string[] = [];
    const l = new PhoneAudioLink({
      port: (server.address() as net.AddressInfo).port,
      software: 'test',
      callId: 1,
      log: createLogger('test'),
      onFrame: () => undefined,
      onState: (state, detail) => states.push(`${state}: ${detail}`),
      helloTimeoutMs: 200,
    });
    cleanups.push(() => l.close());
    // A forward with nothing behind it says nothing: no hello, so the link waits and tries again.
    await waitFor('gave up on the silent forward', () => states.some((s) => s === 'waiting: the agent did not say hello within 200 ms'), 3_000);
    await waitFor('tried again', () => states.filter((s) => s.startsWith('connecting')).length >= 2, 3_000);
    expect(l.send(frame(1))).toBe(false);
  });

  it('drops a connection whose agent says hello but stops answering pings', async () => {
    // A frozen agent: it greets, then never says another word.
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write(encodeMessage({ type: 'hello', version: PROTOCOL_VERSION, software: 'frozen/1' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.close());
    const l = link((server.address() as net.AddressInfo).port, []);
    await waitFor('open', () => l.state === 'open');
    await waitFor('dropped as frozen', () => l.state !== 'open', 3_000);
    expect(l.counts.connects).toBe(1);
    expect(l.send(frame(1))).toBe(false);
  });
});
