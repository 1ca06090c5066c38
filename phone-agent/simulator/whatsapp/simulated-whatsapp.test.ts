import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../electron/station/util/log';
import type { CallOutcome } from '../../protocol';
import type { CallAudioFrame, CallLeg, CallListener } from './call';
import { TONE_AMPLITUDE } from './media-sources';
import { defaultScenario, loadScenario, parseScenario, type Scenario } from './scenario';
import { SimulatedWhatsApp, type ReceivedMessage, type WhatsAppEndpoint } from './simulated-whatsapp';
import { ManualTimeSource } from '../../../native-audio/time-source';
import { buildWav, parseWav } from '../../../native-audio/wav';

setLogLevel('silent');

const stops: Array<() => void> = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
});

/** `time`: the network's clock; tests that step it pass a ManualTimeSource. */
function whatsapp(scenario: Scenario, time?: ManualTimeSource): SimulatedWhatsApp {
  const w = new SimulatedWhatsApp({ scenario, timing: { ringDelayMs: 10, lookupDelayMs: 5, ringTimeoutMs: 150 }, time });
  stops.push(() => w.stop());
  return w;
}

/** Records a leg's events and resolves when the call ends. */
function record(leg: CallLeg) {
  const events: string[] = [];
  const audio: CallAudioFrame[] = [];
  let resolveEnd: (o: CallOutcome) => void = () => undefined;
  const ended = new Promise<CallOutcome>((r) => (resolveEnd = r));
  let resolveConnected: () => void = () => undefined;
  const connected = new Promise<void>((r) => (resolveConnected = r));
  const listener: CallListener = {
    ringing: () => events.push('ringing'),
    connected: () => (events.push('connected'), resolveConnected()),
    ended: (o) => (events.push(`ended:${o}`), resolveEnd(o)),
    audio: (f) => audio.push(f),
  };
  leg.listen(listener);
  return { events, audio, ended, connected, listener };
}

/** A stand-in for a virtual phone's agent. */
function phone(w: SimulatedWhatsApp, account: string, onCall: (leg: CallLeg) => void = () => undefined) {
  const messages: ReceivedMessage[] = [];
  const legs: Array<ReturnType<typeof record>> = [];
  const endpoint: WhatsAppEndpoint = {
    incomingCall: (leg) => {
      const r = record(leg);
      legs.push(r);
      setImmediate(() => onCall(leg));
      return r.listener;
    },
    messageReceived: (m) => messages.push(m),
  };
  w.register(account, endpoint);
  return { messages, legs, endpoint };
}

describe('SimulatedWhatsApp contacts', () => {
  const scenario: Scenario = {
    contacts: [
      { number: '15550100001', name: 'Echo', behaviour: 'echo', answerAfterMs: 10, hangUpAfterMs: 60 },
      { number: '15550100002', name: 'Tone', behaviour: 'tone', answerAfterMs: 0, frequencyHz: 1000 },
      { number: '15550100007', behaviour: 'echo', answerAfterMs: 100_000 },
    ],
    unknownNumbers: 'offline',
    offlineTimeoutMs: 50,
  };

  it('echo answers, returns frames unchanged, and hangs up after hangUpAfterMs', () => {
    const time = new ManualTimeSource();
    const leg = whatsapp(scenario, time).call('15550000001', '15550100001');
    const r = record(leg);
    time.advance(10); // the ring delay
    expect(r.events).toEqual(['ringing']);
    time.advance(10); // answerAfterMs
    expect(r.events).toEqual(['ringing', 'connected']);
    const frame = { seq: 3, timestamp: 960, pcm: Buffer.alloc(640, 7) };
    leg.sendAudio(frame);
    expect(r.audio).toEqual([frame]);
    time.advance(59);
    expect(r.events).toEqual(['ringing', 'connected']);
    time.advance(1); // hangUpAfterMs from the answer
    expect(r.events).toEqual(['ringing', 'connected', 'ended:remote-hangup']);
    expect(leg.remoteName).toBe('Echo');
  });

  it('tone plays one 20 ms frame of a -12 dBFS sine every 20 ms from the answer, with running timestamps', async () => {
    const time = new ManualTimeSource();
    const leg = whatsapp(scenario, time).call('15550000001', '15550100002');
    const r = record(leg);
    time.advance(10); // the ring delay; this contact answers at once
    expect(r.events).toEqual(['ringing', 'connected']);
    time.advance(19);
    expect(r.audio).toEqual([]);
    time.advance(1);
    expect(r.audio.length).toBe(1);
    for (let k = 2; k <= 10; k++) {
      time.advance(20);
      expect(r.audio.length).toBe(k);
    }
    const peak = Math.max(...r.audio.flatMap((f) => Array.from({ length: 320 }, (_, i) => Math.abs(f.pcm.readInt16LE(i * 2)))));
    expect(peak).toBeGreaterThan(TONE_AMPLITUDE * 0.95);
    expect(peak).toBeLessThanOrEqual(TONE_AMPLITUDE);
    expect(r.audio.slice(0, 3).map((f) => [f.seq, f.timestamp])).toEqual([[0, 0], [1, 320], [2, 640]]);
    leg.hangUp();
    expect(await r.ended).toBe('local-hangup');
    // The contact stops sending with the call.
    time.advance(200);
    expect(r.audio.length).toBe(10);
  });

  it('unknown numbers follow unknownNumbers (offline here: no ringing, then offline)', () => {
    const time = new ManualTimeSource();
    const r = record(whatsapp(scenario, time).call('15550000001', '19990000000'));
    time.advance(49);
    expect(r.events).toEqual([]);
    time.advance(1); // offlineTimeoutMs
    expect(r.events).toEqual(['ended:offline']);
  });

  it('a call nobody answers ends no-answer after the ring timeout', () => {
    const time = new ManualTimeSource();
    const r = record(whatsapp(scenario, time).call('15550000001', '15550100007'));
    time.advance(10 + 149);
    expect(r.events).toEqual(['ringing']);
    time.advance(1); // ringTimeoutMs after it rang
    expect(r.events).toEqual(['ringing', 'ended:no-answer']);
  });

  it('plays a looped WAV file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sip2wa-wav-'));
    const samples = Buffer.alloc(200);
    for (let i = 0; i < 100; i++) samples.writeInt16LE(i * 100, i * 2);
    const file = join(dir, 'ramp.wav');
    writeFileSync(file, buildWav(samples));
    const w = whatsapp({ contacts: [{ number: '15550100008', behaviour: 'wav', file, answerAfterMs: 0 }] });
    const r = record(w.call('15550000001', '15550100008'));
    await expect.poll(() => r.audio.length, { timeout: 2000, interval: 5 }).toBeGreaterThanOrEqual(1);
    const first = r.audio[0]!.pcm;
    expect(first.length).toBe(640);
    expect(first.subarray(0, 200)).toEqual(samples);
    expect(first.subarray(200, 400)).toEqual(samples); // looped
  });
});

describe('SimulatedWhatsApp between virtual phones', () => {
  it('a registered phone rings, answers, and hears the other side', async () => {
    const w = whatsapp({});
    const b = phone(w, '15550000002', (leg) => leg.answer());
    const a = record(w.call('15550000001', '15550000002'));
    await a.connected;
    const callee = b.legs[0]!;
    expect(callee.events).toContain('connected');
    expect(w.inCall('15550000002')).toBe(true);
  });

  it('delivers messages to phones and fails them for numbers not on WhatsApp', async () => {
    const w = whatsapp(defaultScenario());
    const b = phone(w, '15550000002');
    expect(w.sendMessage('15550000001', '15550000002', 'hi')).toEqual({ ok: true });
    expect(w.sendMessage('15550000001', '15550100005', 'hi')).toEqual({ ok: false, error: '15550100005 is not on WhatsApp' });
    await expect.poll(() => b.messages.length).toBe(1);
    expect(b.messages[0]).toMatchObject({ from: '15550000001', text: 'hi' });
  });

  it('runs scripted messages and calls at their times after start, and stop clears them', async () => {
    const time = new ManualTimeSource();
    const w = whatsapp(
      {
        contacts: [{ number: '15550100001', name: 'Echo', behaviour: 'echo' }],
        messages: [{ atMs: 10, to: '15550000002', from: '15550100001', text: 'scripted' }],
        calls: [{ atMs: 20, from: '15550100001', to: '15550000002' }],
      },
      time,
    );
    const b = phone(w, '15550000002', (leg) => leg.answer());
    w.start();
    time.advance(9);
    expect(b.messages).toEqual([]);
    time.advance(1);
    expect(b.messages).toMatchObject([{ from: '15550100001', name: 'Echo', text: 'scripted' }]);
    time.advance(9);
    expect(b.legs).toHaveLength(0);
    time.advance(1);
    expect(b.legs).toHaveLength(1);
    const leg = b.legs[0]!;
    await leg.connected;
    w.stop();
    expect(await leg.ended).toBe('error');
  });
});

describe('scenario files', () => {
  it('accepts the default scenario and names the path of a bad field', () => {
    expect(parseScenario(JSON.parse(JSON.stringify(defaultScenario())))).toEqual(defaultScenario());
    expect(() => parseScenario({ contacts: [{ number: '1555', behaviour: 'dance' }] }, 'x.json')).toThrow(
      'scenario x.json: contacts[0].behaviour is "dance", expected one of echo, tone, wav, reject, offline, not-on-whatsapp, busy',
    );
    expect(() => parseScenario({ messages: [{ atMs: -1, to: '1555', from: '1556', text: '' }] })).toThrow(
      'messages[0].atMs must be a number >= 0',
    );
    expect(() => parseScenario({ contacts: [{ number: '+1555', behaviour: 'echo' }] })).toThrow('contacts[0].number is "+1555"');
    expect(() => parseScenario({ contacts: [{ number: '1555', behaviour: 'wav' }] })).toThrow("contacts[0].file is required for behaviour 'wav'");
    expect(() => parseScenario({ calls: [{ atMs: 0, from: '1555', to: '1556', extra: 1 }] })).toThrow('calls[0].extra is not a known field');
  });

  it('loads a file and reports unreadable JSON with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sip2wa-scenario-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ unknownNumbers: 'echo', offlineTimeoutMs: 100 }));
    expect(loadScenario(good)).toEqual({ unknownNumbers: 'echo', offlineTimeoutMs: 100 });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{');
    expect(() => loadScenario(bad)).toThrow(`scenario ${bad}: (file) cannot be read as JSON`);
  });

  it('rejects WAV files in another format, saying what the file is', () => {
    const stereo = buildWav(Buffer.alloc(8), 44100, 2);
    expect(parseWav(stereo, 'a.wav')).toMatchObject({ sampleRate: 44100, channels: 2 });
    expect(() => parseWav(Buffer.from('not a wav file'), 'b.wav')).toThrow('WAV file b.wav: not a RIFF/WAVE file');
  });
});
