/**
 * PCM round trip over the real adb forward: station -> agent -> simulated WhatsApp echo -> agent ->
 * station, for N virtual phones at once, on each call's own audio connection (PROTOCOL.md, "Channels").
 *
 * The virtual phones run in a child process (as they would on a phone, their CPU is not the station's);
 * the station's device manager runs here. Every line places a call to an echoing contact over its control
 * link and opens the call's audio connection (media/phone-audio-link.ts), then every 20 ms each line sends
 * one 640-byte frame whose first two samples carry its number; the echo returns the samples unchanged, so
 * the round trip is the time between sending a frame number and receiving it back. The number travels in
 * the audio rather than in the frame's timestamp because the real Java agent, like a phone, re-times the
 * audio it plays and captures (`agent: 'java'` runs it behind the virtual phones). `ack` false leaves out
 * the `audio-ack` of each downlink frame, to show whether the audio connection still needs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentLink } from '../electron/station/devices/agent-link';
import { DeviceManager } from '../electron/station/devices/device-manager';
import { PhoneAudioLink } from '../electron/station/media/phone-audio-link';
import type { AgentKind } from '../phone-agent/simulator/virtual-phone-farm';
import { createLogger, setLogLevel } from '../electron/station/util/log';
import { freePort, killAdbServer } from '../test/support/adb';
import { waitFor } from '../test/support/wait';

const FRAME_MS = 20;
const FRAME_BYTES = 640;
const ECHO_NUMBER = '15550109999';

export interface RoundTripResult {
  phones: number;
  agent: AgentKind;
  /** Whether each downlink frame was acknowledged with audio-ack. */
  ack: boolean;
  ready: number;
  frames: number;
  lost: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Station CPU per line, percent of one core. */
  cpuPerLinePct: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function startPhones(count: number, adbPort: number, scenario: string, agent: AgentKind): ChildProcess {
  const child = spawn(
    'node_modules/.bin/tsx',
    ['phone-agent/simulator/cli.ts', '--count', String(count), '--adb-port', String(adbPort), '--scenario', scenario, '--agent', agent],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SIP2WA_LOG: 'warn' } },
  );
  return child;
}

async function dialEcho(link: AgentLink, callId: number): Promise<void> {
  const connected = new Promise<void>((resolve, reject) => {
    const off = link.on('message', (m) => {
      if (m.type === 'call-connected' && m.callId === callId) {
        off();
        resolve();
      } else if (m.type === 'call-ended' && m.callId === callId) {
        off();
        reject(new Error(`echo call ended: ${m.outcome}`));
      }
    });
  });
  link.send({ type: 'dial', callId, number: ECHO_NUMBER });
  await connected;
}

/** Calls `tick` for frames first..first+count-1, each 20 ms after the previous, scheduled from the start. */
async function paced(first: number, count: number, tick: (n: number) => void): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + i * FRAME_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    tick(first + i);
  }
}

/** The frame number in the first two samples (15 bits each, so no sample is negative). */
function stampFrame(pcm: Int16Array, n: number): Int16Array {
  const frame = pcm.slice();
  frame[0] = n & 0x7fff;
  frame[1] = (n >>> 15) & 0x7fff;
  return frame;
}

function frameNumber(frame: Int16Array): number {
  return (frame[0]! & 0x7fff) + (frame[1]! & 0x7fff) * 0x8000;
}

export async function measureRoundTrip(phones: number, seconds: number, ack = true, agent: AgentKind = 'simulated'): Promise<RoundTripResult> {
  const adbPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sip2wa-bench-'));
  const scenario = join(dir, 'scenario.json');
  writeFileSync(scenario, JSON.stringify({ contacts: [{ number: ECHO_NUMBER, name: 'Bench echo', behaviour: 'echo', answerAfterMs: 0 }] }));
  const devices = new DeviceManager({ adb: { port: adbPort }, software: 'bench' });
  await devices.start();
  const child = startPhones(phones, adbPort, scenario, agent);
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await waitFor(
      `${phones} ready phones`,
      () => {
        if (exited) throw new Error('the virtual phones exited');
        return devices.devices.filter((d) => d.state.state === 'ready').length >= phones;
      },
      30_000 + phones * 500,
      100,
    ).catch(() => undefined);
    const links = devices.devices.map((d) => d.link).filter((l): l is AgentLink => l !== null);
    await Promise.all(links.map((link, i) => dialEcho(link, i + 1)));

    const sent = new Map<string, number>();
    const rtts: number[] = [];
    // Only frames from this number on are counted (the warm-up's are not, nor silence, which reads as 0).
    let countFrom = Infinity;
    const log = createLogger('bench');
    const audio = links.map((link, i) => {
      return new PhoneAudioLink({
        port: link.port,
        software: 'bench',
        callId: i + 1,
        ack,
        log,
        onFrame: (frame) => {
          const n = frameNumber(frame);
          const at = sent.get(`${i}:${n}`);
          if (at !== undefined && n >= countFrom) {
            rtts.push(performance.now() - at);
            sent.delete(`${i}:${n}`);
          }
        },
      });
    });
    await waitFor('audio connections open', () => audio.every((a) => a.state === 'open'), 10_000, 20);
    const pcm = new Int16Array(FRAME_BYTES / 2);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000));
    // One second of warm-up (JIT, the phones' first frames), sent but not counted.
    const warmup = 1000 / FRAME_MS;
    const frames = Math.round((seconds * 1000) / FRAME_MS);
    const sendFrame = (n: number): void => {
      const frame = stampFrame(pcm, n);
      audio.forEach((a, i) => {
        sent.set(`${i}:${n}`, performance.now());
        a.send(frame);
      });
    };
    await paced(0, warmup, sendFrame);
    countFrom = warmup;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await paced(warmup, frames, sendFrame);
    await new Promise((r) => setTimeout(r, 200));
    const elapsedS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    for (const a of audio) a.close('bench over');
    const sorted = rtts.sort((a, b) => a - b);
    return {
      phones,
      agent,
      ack,
      ready: links.length,
      frames: frames * links.length,
      lost: frames * links.length - rtts.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1] ?? NaN,
      cpuPerLinePct: links.length ? ((cpu.user + cpu.system) / 1e6 / elapsedS / links.length) * 100 : NaN,
    };
  } finally {
    if (!exited) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await devices.stop();
    await killAdbServer(adbPort);
  }
}

/**
 * Each phone count twice in the same run, with audio-ack on every downlink frame and without, through the
 * simulated agent; then the same through the real Java agent for `javaCounts`, next to it.
 */
export async function runAgentRoundTrip(counts: number[], seconds: number, javaCounts: number[] = []): Promise<RoundTripResult[]> {
  setLogLevel('error');
  const results: RoundTripResult[] = [];
  for (const n of counts) for (const ack of [true, false]) results.push(await measureRoundTrip(n, seconds, ack));
  for (const n of javaCounts) for (const ack of [true, false]) results.push(await measureRoundTrip(n, seconds, ack, 'java'));
  return results;
}
