import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLogLevel } from '../../../electron/station/util/log';
import { FrameDecoder, ProtocolError, type MessageOf } from '../../protocol';
import type { VirtualDeviceInfo } from '../device-info';
import { SimulatedWhatsApp } from '../whatsapp/simulated-whatsapp';
import { parseScenario, type Scenario } from '../whatsapp/scenario';
import { garbageFrame } from './garbage-frame';
import { SimulatedAgent } from './simulated-agent';
import { TestStation } from './test-station';

setLogLevel('silent');

const SCENARIO: Scenario = {
  contacts: [
    { number: '15550100001', name: 'Echo', behaviour: 'echo', answerAfterMs: 30 },
    { number: '15550100003', name: 'Rejecter', behaviour: 'reject', rejectAfterMs: 50 },
    { number: '15550100004', name: 'Offline', behaviour: 'offline' },
    { number: '15550100005', behaviour: 'not-on-whatsapp' },
    { number: '15550100006', behaviour: 'busy' },
  ],
  offlineTimeoutMs: 200,
  messages: [{ atMs: 30, to: '15550000001', from: '15550100001', text: 'hello from the scenario' }],
};

function device(account: string, serialNo = `virt-${account}`): VirtualDeviceInfo {
  return {
    serialNo,
    manufacturer: 'sip2wa',
    model: 'Virtual Phone',
    androidVersion: '14',
    sdk: 34,
    account,
    whatsappVersion: '2.24.10.74',
    batteryLevel: 80,
    charging: true,
    temperatureDeciC: 301,
    networkType: 'wifi',
    signalLevel: 4,
  };
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn();
});

/** A WhatsApp network, and a phone (agent behind a loopback server) per account. */
function network(scenario: Scenario = SCENARIO) {
  const whatsapp = new SimulatedWhatsApp({ scenario, timing: { ringDelayMs: 20, lookupDelayMs: 10 } });
  cleanups.push(() => whatsapp.stop());
  return {
    whatsapp,
    async phone(account: string, opts: { protocolVersion?: number } = {}) {
      const agent = new SimulatedAgent({ whatsapp, device: device(account), ...opts });
      const server = net.createServer((socket) => agent.attach(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      const stations: TestStation[] = [];
      cleanups.push(() => {
        agent.crash();
        for (const s of stations) s.close();
        server.close();
      });
      const connect = async () => {
        const station = await TestStation.connect(port);
        stations.push(station);
        return station;
      };
      return { agent, connect, station: await connect() };
    },
  };
}

async function readyPhone(account = '15550000001') {
  const net = network();
  const phone = await net.phone(account);
  await phone.station.handshake();
  /** A second connection through the same forward, named the audio channel. */
  const audioChannel = async () => {
    const audio = await phone.connect();
    await audio.handshake(undefined, 'audio');
    return audio;
  };
  return { ...net, ...phone, audioChannel };
}

const pcm = (fill: number) => Buffer.alloc(640, fill);

describe('SimulatedAgent handshake', () => {
  it('speaks first with the current version, then answers ping and get-info', async () => {
    const { station } = await network().phone('15550000001');
    const hello = await station.handshake();
    expect(hello).toEqual({ type: 'hello', version: 3, software: 'sip2wa-virtual-agent/1' });
    station.send({ type: 'ping', nonce: 0xdeadbeef });
    expect(await station.next('pong')).toEqual({ type: 'pong', nonce: 0xdeadbeef });
    station.send({ type: 'get-info' });
    expect(await station.next('info')).toMatchObject({
      account: '15550000001',
      software: 'sip2wa-virtual-agent/1',
      batteryLevel: 80,
      audioRoute: 'simulated',
      networkType: 'wifi',
    });
  });

  it('refuses a station of another version with an error that names both versions, then closes', async () => {
    const { station } = await network().phone('15550000001', { protocolVersion: 3 });
    expect((await station.handshake(2)).version).toBe(3);
    expect(await station.next('error')).toEqual({ type: 'error', code: 1, message: 'station protocol 2, agent speaks 3' });
    await station.closed;
  });

  it('closes a connection whose hello is not followed by channel, with error 4', async () => {
    const { station } = await network().phone('15550000001');
    await station.handshake(undefined, null);
    station.send({ type: 'get-info' });
    expect(await station.next('error')).toMatchObject({ code: 4, message: "expected channel after hello, got 'get-info'" });
    await station.closed;
  });

  it('closes the link when the station sends garbage', async () => {
    const { station } = await network().phone('15550000001');
    await station.handshake();
    station.socket.write(garbageFrame('unknown-type'));
    await station.closed;
  });

  it('a new control connection replaces the old control connection', async () => {
    const { station, connect } = await network().phone('15550000001');
    await station.handshake();
    const second = await connect();
    await second.handshake();
    await station.closed;
    second.send({ type: 'ping', nonce: 7 });
    expect((await second.next('pong')).nonce).toBe(7);
  });
});

describe('SimulatedAgent calls to scenario contacts', () => {
  it('dials the echo contact: dialing, ringing, connected, and audio comes back bit-exact', async () => {
    const { station, agent, audioChannel } = await readyPhone();
    station.send({ type: 'dial', callId: 1, number: '15550100001' });
    expect(await station.next('call-dialing')).toEqual({ type: 'call-dialing', callId: 1, number: '15550100001' });
    expect(await station.next('call-ringing')).toEqual({ type: 'call-ringing', callId: 1 });
    expect(await station.next('call-connected')).toEqual({ type: 'call-connected', callId: 1 });
    const audio = await audioChannel();
    audio.send({ type: 'audio-start', callId: 1 });
    const sent = { type: 'audio', seq: 5, timestamp: 1600, pcm: Buffer.from(Array.from({ length: 640 }, (_, i) => i % 251)) } as const;
    audio.send(sent);
    expect(await audio.next('audio')).toEqual(sent);
    expect(station.inbox.some((m) => m.type === 'audio')).toBe(false);
    station.send({ type: 'hang-up', callId: 1 });
    expect(await station.next('call-ended')).toEqual({ type: 'call-ended', callId: 1, outcome: 'local-hangup' });
    expect(agent.callCount).toBe(1);
  });

  it.each([
    ['15550100003', 'rejected'],
    ['15550100004', 'offline'],
    ['15550100005', 'not-on-whatsapp'],
    ['15550100006', 'busy'],
    ['19995550000', 'not-on-whatsapp'],
  ] as const)('dialing %s ends %s', async (number, outcome) => {
    const { station } = await readyPhone();
    station.send({ type: 'dial', callId: 9, number });
    await station.next('call-dialing');
    expect(await station.next('call-ended')).toEqual({ type: 'call-ended', callId: 9, outcome });
  });

  it('an offline callee never rings and fails when the offline timeout runs out, not before', async () => {
    const { station } = await readyPhone();
    // The network's timers on a fake clock; the socket to the agent stays real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      station.send({ type: 'dial', callId: 2, number: '15550100004' });
      await station.next('call-dialing');
      await vi.advanceTimersByTimeAsync(199);
      // A ping's answer comes after anything the agent said before it: the call has not ended yet.
      station.send({ type: 'ping', nonce: 1 });
      await station.next('pong');
      expect(station.inbox.map((m) => m.type)).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(await station.next('call-ended')).toEqual({ type: 'call-ended', callId: 2, outcome: 'offline' });
      expect(station.inbox.some((m) => m.type === 'call-ringing')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a second dial while a call is active, and keeps the first call', async () => {
    const { station } = await readyPhone();
    station.send({ type: 'dial', callId: 1, number: '15550100001' });
    await station.next('call-connected');
    station.send({ type: 'dial', callId: 2, number: '15550100001' });
    expect(await station.next('call-ended')).toEqual({ type: 'call-ended', callId: 2, outcome: 'busy' });
    station.send({ type: 'hang-up', callId: 1 });
    expect(await station.next('call-ended')).toMatchObject({ callId: 1, outcome: 'local-hangup' });
  });

  it('answers a command for an unknown call with an error naming the id, and stays up', async () => {
    const { station } = await readyPhone();
    station.send({ type: 'hang-up', callId: 99 });
    const error = await station.next('error');
    expect(error.code).toBe(2);
    expect(error.message).toContain('99');
    station.send({ type: 'ping', nonce: 1 });
    expect((await station.next('pong')).nonce).toBe(1);
  });

  it('keeps the call when both connections drop, and serves the reconnected station', async () => {
    const { station, connect, audioChannel } = await readyPhone();
    station.send({ type: 'dial', callId: 3, number: '15550100001' });
    await station.next('call-connected');
    const audio = await audioChannel();
    audio.send({ type: 'audio-start', callId: 3 });
    station.close();
    audio.close();
    const again = await connect();
    await again.handshake();
    const audioAgain = await audioChannel();
    audioAgain.send({ type: 'audio-start', callId: 3 });
    audioAgain.send({ type: 'audio', seq: 1, timestamp: 320, pcm: pcm(1) });
    expect((await audioAgain.next('audio')).pcm).toEqual(pcm(1));
    again.send({ type: 'hang-up', callId: 3 });
    expect(await again.next('call-ended')).toMatchObject({ callId: 3, outcome: 'local-hangup' });
  });
});

describe('SimulatedAgent channels', () => {
  async function echoCall() {
    const phone = await readyPhone();
    phone.station.send({ type: 'dial', callId: 1, number: '15550100001' });
    await phone.station.next('call-connected');
    return phone;
  }

  it('refuses audio messages on the control connection with error 3, and stays up', async () => {
    const { station } = await echoCall();
    for (const m of [{ type: 'audio-start', callId: 1 }, { type: 'audio', seq: 1, timestamp: 0, pcm: pcm(1) }] as const) {
      station.send(m);
      expect(await station.next('error')).toMatchObject({ code: 3, message: `'${m.type}' belongs on the audio connection, not on control` });
    }
    station.send({ type: 'ping', nonce: 2 });
    expect((await station.next('pong')).nonce).toBe(2);
    expect(station.inbox.some((m) => m.type === 'audio')).toBe(false);
  });

  it('refuses control commands on the audio connection with error 3 there, and answers its pings', async () => {
    const { station, audioChannel } = await echoCall();
    const audio = await audioChannel();
    audio.send({ type: 'hang-up', callId: 1 });
    expect(await audio.next('error')).toMatchObject({ code: 3, message: "'hang-up' belongs on the control connection, not on audio" });
    audio.send({ type: 'audio-start', callId: 77 });
    expect(await audio.next('error')).toMatchObject({ code: 2 });
    audio.send({ type: 'ping', nonce: 3 });
    expect((await audio.next('pong')).nonce).toBe(3);
    // The call was not touched, and the control connection heard nothing of the audio connection's errors.
    expect(station.inbox.filter((m) => m.type === 'error')).toEqual([]);
    station.send({ type: 'hang-up', callId: 1 });
    expect(await station.next('call-ended')).toMatchObject({ callId: 1, outcome: 'local-hangup' });
  });

  it('a new audio connection replaces the old one without touching control; audio restarts with audio-start', async () => {
    const { station, audioChannel, agent } = await echoCall();
    const first = await audioChannel();
    first.send({ type: 'audio-start', callId: 1 });
    const second = await audioChannel();
    await first.closed;
    expect(agent.channels).toEqual({ control: true, audio: true });
    // The replaced connection's audio window is over: frames are dropped until the new one starts it.
    second.send({ type: 'audio', seq: 1, timestamp: 320, pcm: pcm(3) });
    second.send({ type: 'ping', nonce: 4 });
    await second.next('pong');
    expect(second.inbox.some((m) => m.type === 'audio')).toBe(false);
    second.send({ type: 'audio-start', callId: 1 });
    second.send({ type: 'audio', seq: 2, timestamp: 640, pcm: pcm(4) });
    expect((await second.next('audio')).pcm).toEqual(pcm(4));
    station.send({ type: 'ping', nonce: 5 });
    expect((await station.next('pong')).nonce).toBe(5);
  });

  it('drops frames after audio-stop, and after the call ended', async () => {
    const { station, audioChannel } = await echoCall();
    const audio = await audioChannel();
    audio.send({ type: 'audio-start', callId: 1 });
    audio.send({ type: 'audio', seq: 1, timestamp: 320, pcm: pcm(5) });
    await audio.next('audio');
    audio.send({ type: 'audio-stop', callId: 1 });
    audio.send({ type: 'audio', seq: 2, timestamp: 640, pcm: pcm(6) });
    audio.send({ type: 'ping', nonce: 6 });
    await audio.next('pong');
    expect(audio.inbox.some((m) => m.type === 'audio')).toBe(false);
    station.send({ type: 'hang-up', callId: 1 });
    await station.next('call-ended');
    audio.send({ type: 'audio-start', callId: 1 });
    expect(await audio.next('error')).toMatchObject({ code: 2 });
  });
});

describe('SimulatedAgent between two virtual phones', () => {
  it('rings the other phone, bridges PCM both ways, and a hang-up ends both sides', async () => {
    const net = network();
    const a = await net.phone('15550000001');
    const b = await net.phone('15550000002');
    await a.station.handshake();
    await b.station.handshake();
    a.station.send({ type: 'dial', callId: 1, number: '15550000002' });
    await a.station.next('call-ringing');
    const incoming = await b.station.next('call-incoming');
    expect(incoming.number).toBe('15550000001');
    expect(incoming.callId).toBeGreaterThanOrEqual(0x80000000);
    b.station.send({ type: 'answer', callId: incoming.callId });
    await a.station.next('call-connected');
    await b.station.next('call-connected');
    const [aAudio, bAudio] = [await a.connect(), await b.connect()];
    await aAudio.handshake(undefined, 'audio');
    await bAudio.handshake(undefined, 'audio');
    aAudio.send({ type: 'audio-start', callId: 1 });
    bAudio.send({ type: 'audio-start', callId: incoming.callId });

    aAudio.send({ type: 'audio', seq: 10, timestamp: 3200, pcm: pcm(0xaa) });
    expect(await bAudio.next('audio')).toEqual({ type: 'audio', seq: 10, timestamp: 3200, pcm: pcm(0xaa) });
    bAudio.send({ type: 'audio', seq: 20, timestamp: 6400, pcm: pcm(0x55) });
    expect(await aAudio.next('audio')).toEqual({ type: 'audio', seq: 20, timestamp: 6400, pcm: pcm(0x55) });

    b.station.send({ type: 'hang-up', callId: incoming.callId });
    expect(await b.station.next('call-ended')).toMatchObject({ outcome: 'local-hangup' });
    expect(await a.station.next('call-ended')).toEqual({ type: 'call-ended', callId: 1, outcome: 'remote-hangup' });
  });

  it('a declined call is rejected on the caller; a phone in a call is busy; a crashed phone is offline', async () => {
    const net = network();
    const a = await net.phone('15550000001');
    const b = await net.phone('15550000002');
    const c = await net.phone('15550000003');
    for (const p of [a, b, c]) await p.station.handshake();

    a.station.send({ type: 'dial', callId: 1, number: '15550000002' });
    b.station.send({ type: 'decline', callId: (await b.station.next('call-incoming')).callId });
    expect(await a.station.next('call-ended')).toMatchObject({ callId: 1, outcome: 'rejected' });

    a.station.send({ type: 'dial', callId: 2, number: '15550000002' });
    await b.station.next('call-incoming');
    c.station.send({ type: 'dial', callId: 1, number: '15550000002' });
    expect(await c.station.next('call-ended')).toMatchObject({ callId: 1, outcome: 'busy' });

    b.agent.crash();
    expect(await a.station.next('call-ended')).toMatchObject({ callId: 2, outcome: 'remote-hangup' });
    c.station.send({ type: 'dial', callId: 2, number: '15550000002' });
    expect(await c.station.next('call-ended')).toMatchObject({ callId: 2, outcome: 'offline' });
  });

  it('delivers a sent message to the other phone, and reports a failure for a number not on WhatsApp', async () => {
    const net = network();
    const a = await net.phone('15550000001');
    const b = await net.phone('15550000002');
    await a.station.handshake();
    await b.station.handshake();
    a.station.send({ type: 'send-message', messageId: 5, to: '15550000002', text: 'Grüße 👋' });
    expect(await a.station.next('message-sent')).toEqual({ type: 'message-sent', messageId: 5, ok: true, error: '' });
    expect(await b.station.next('message-received')).toMatchObject({ from: '15550000001', text: 'Grüße 👋' });
    a.station.send({ type: 'send-message', messageId: 6, to: '15550100005', text: 'x' });
    expect(await a.station.next('message-sent')).toEqual({
      type: 'message-sent',
      messageId: 6,
      ok: false,
      error: '15550100005 is not on WhatsApp',
    });
  });
});

describe('SimulatedAgent scripted events and test hooks', () => {
  it('passes on a scripted message from the scenario', async () => {
    const { station, whatsapp } = await readyPhone();
    whatsapp.start();
    const message: MessageOf<'message-received'> = await station.next('message-received');
    expect(message).toMatchObject({ from: '15550100001', name: 'Echo', text: 'hello from the scenario' });
    expect(Math.abs(message.time - Date.now())).toBeLessThan(5000);
  });

  it.each(['unknown-type', 'bad-length', 'oversize'] as const)(
    'garbleNextFrame(%s) sends bytes the FrameDecoder rejects with that code',
    async (kind) => {
      const { station, agent } = await readyPhone();
      agent.garbleNextFrame(kind);
      await expect.poll(() => station.protocolError?.code).toBe(kind);
      // The same bytes, checked directly against a fresh decoder.
      const decoder = new FrameDecoder();
      expect(() => decoder.push(garbageFrame(kind))).toThrow(ProtocolError);
    },
  );

  it('crash closes the station socket and unregisters the account', async () => {
    const { station, agent, whatsapp } = await readyPhone();
    agent.crash();
    await station.closed;
    expect(whatsapp.isRegistered('15550000001')).toBe(false);
  });

  it('stop tells the station each call ended before closing', async () => {
    const { station, agent } = await readyPhone();
    station.send({ type: 'dial', callId: 4, number: '15550100001' });
    await station.next('call-connected');
    agent.stop();
    expect(await station.next('call-ended')).toMatchObject({ callId: 4, outcome: 'local-hangup' });
    await station.closed;
  });
});

describe('SimulatedAgent account health (protocol v3)', () => {
  it('reports each account state in info, sent unasked when the simulated WhatsApp changes it', async () => {
    const { station, whatsapp } = await readyPhone();
    station.send({ type: 'get-info' });
    expect((await station.next('info')).accountState).toBe('registered');
    for (const state of ['banned', 'logged-out', 'not-installed', 'update-required', 'unknown', 'registered'] as const) {
      whatsapp.setAccountState('15550000001', state);
      expect((await station.next('info')).accountState).toBe(state);
    }
  });

  it('a banned account places no call (error) and is not rung (its caller sees offline)', async () => {
    const net = network();
    const banned = await net.phone('15550000001');
    const caller = await net.phone('15550000002');
    await banned.station.handshake();
    await caller.station.handshake();
    net.whatsapp.setAccountState('15550000001', 'banned');
    banned.station.send({ type: 'dial', callId: 1, number: '15550100001' });
    expect(await banned.station.next('call-ended')).toMatchObject({ callId: 1, outcome: 'error' });
    caller.station.send({ type: 'dial', callId: 2, number: '15550000001' });
    expect(await caller.station.next('call-ended')).toMatchObject({ callId: 2, outcome: 'offline' });
  });

  it('a scenario starts an account in its state and names a bad state with its path', async () => {
    const net = network({ ...SCENARIO, accounts: [{ number: '15550000001', state: 'logged-out' }] });
    const { station } = await net.phone('15550000001');
    await station.handshake();
    station.send({ type: 'get-info' });
    expect((await station.next('info')).accountState).toBe('logged-out');
    expect(() => parseScenario({ accounts: [{ number: '15550000001', state: 'suspended' }] }, 'demo.json')).toThrow(
      'scenario demo.json: accounts[0].state is "suspended", expected one of registered, logged-out, banned, not-installed, update-required, unknown',
    );
  });
});
