/**
 * The device smoke's call half, run against a virtual phone through a private adb server and a real adb
 * forward, the way a person runs it against a phone on USB, with the TypeScript simulated agent and with
 * the real Java agent core: the echo contact's round trip is found by correlation, and a number that is
 * not on WhatsApp ends without audio.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../electron/station/util/log';
import { killAdbServer, runAdb } from '../phone-agent/simulator/adbd';
import { startPrivateAdbServer } from '../phone-agent/simulator/adbd/test-support';
import { AGENT_KINDS, VirtualPhoneFarm } from '../phone-agent/simulator/virtual-phone-farm';
import { roundTrip, smokeCall, testSignal } from './device-smoke-call';

const VIRTUAL_AGENT = fileURLToPath(new URL('../phone-agent/simulator/virtual-agent.jar', import.meta.url));
const ECHO = '15550100001';
const NOT_ON_WHATSAPP = '15550100005';

describe.each(AGENT_KINDS)('device smoke call through the %s agent', (agent) => {
  let adbPort: number;
  let farm: VirtualPhoneFarm;
  let port: number;

  beforeAll(async () => {
    setLogLevel('warn');
    adbPort = await startPrivateAdbServer();
    farm = new VirtualPhoneFarm({ count: 1, basePort: 0, adbPort, agent });
    await farm.start();
    const serial = farm.phones[0]!.serial;
    await runAdb(adbPort, ['-s', serial, 'push', VIRTUAL_AGENT, '/data/local/tmp/sip2wa-agent.jar']);
    await runAdb(adbPort, ['-s', serial, 'shell',
      'CLASSPATH=/data/local/tmp/sip2wa-agent.jar nohup app_process / org.sip2wa.agent.Main --socket sip2wa_agent --daemon >/dev/null 2>&1 &']);
    port = Number((await runAdb(adbPort, ['-s', serial, 'forward', 'tcp:0', 'localabstract:sip2wa_agent'])).trim());
  }, 120_000);

  afterAll(async () => {
    await farm?.stop();
    await killAdbServer(adbPort);
  });

  it('places a call to a number that echoes and finds the noise burst again in what comes back', async () => {
    const result = await smokeCall({ port, number: ECHO, answerTimeoutMs: 20_000 });
    expect(result.info.audioRoute).toBe('simulated');
    expect(result.events).toEqual(['call-dialing', 'call-ringing', 'call-connected', 'call-ended local-hangup']);
    expect(result.connected).toBe(true);
    expect(result.correlation).toBeGreaterThan(0.9);
    expect(result.roundTripMs).not.toBeNull();
    expect(result.roundTripMs!).toBeGreaterThanOrEqual(0);
    expect(result.roundTripMs!).toBeLessThan(1500);
  }, 60_000);

  it('reports a number that is not on WhatsApp without measuring anything', async () => {
    const result = await smokeCall({ port, number: NOT_ON_WHATSAPP, answerTimeoutMs: 20_000 });
    expect(result.connected).toBe(false);
    expect(result.outcome).toBe('not-on-whatsapp');
    expect(result.roundTripMs).toBeNull();
  }, 60_000);
});

describe('device smoke measurement', () => {
  it('finds the round trip of an echo with one gap filled with silence, from the median of its windows', () => {
    const signal = testSignal(32000);
    const delayed = new Int16Array(32000 + 24000);
    delayed.set(signal, 1280); // 80 ms round trip
    delayed.fill(0, 9000, 9320); // a lost 20 ms packet, replaced by silence
    const { roundTripMs, correlation } = roundTrip(signal, delayed, 8000);
    expect(roundTripMs).toBe(80);
    expect(correlation).toBeGreaterThan(0.99);
  });

  it('still finds the echo when the path keeps dropping frames and pulls it ahead of where it started', () => {
    const signal = testSignal(32000);
    // A 40 ms round trip, then one 20 ms frame lost every 6000 samples (an agent shedding frames from a
    // deep queue on a loaded machine): each segment of the echo arrives 20 ms earlier than the one before,
    // the last ones before the point where the signal started.
    const output = new Int16Array(32000 + 24000);
    for (let k = 0; k * 6000 < signal.length; k++) {
      output.set(signal.subarray(k * 6000, (k + 1) * 6000), k * 6000 + 640 - 320 * k);
    }
    const { roundTripMs, correlation } = roundTrip(signal, output, 8000);
    expect(correlation).toBeGreaterThan(0.9);
    expect(roundTripMs).toBeGreaterThanOrEqual(-40);
    expect(roundTripMs).toBeLessThanOrEqual(40);
  });

  it('uses a signal that correlates with itself only where it is aligned', () => {
    const s = testSignal(16000);
    let same = 0;
    let shifted = 0;
    for (let i = 0; i < 15000; i++) {
      same += s[i]! * s[i]!;
      shifted += s[i]! * s[i + 160]!;
    }
    expect(Math.abs(shifted) / same).toBeLessThan(0.05);
  });
});
