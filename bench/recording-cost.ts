/**
 * What call recording costs the media thread: the same N calls (RTP from a peer through the media worker
 * to a stand-in agent and back, bench/phone-latency-peer.ts) carried twice in one run, first not recorded,
 * then each recorded to its own WAV file, with the media worker's busy time (its event loop utilization)
 * measured over each. The ratio and the extra busy time per recorded line are the figures; the disk
 * writes themselves run on libuv's thread pool, off the media thread, and show in the process CPU.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodecName } from '../native-audio/codecs/index';
import { setLogLevel } from '../electron/station/util/log';
import { openPhonePath } from './phone-path-rig';

export interface RecordingCostRun {
  recorded: boolean;
  lines: number;
  /** Media worker busy time over the run, ms per second of audio. */
  busyMsPerS: number;
  /** Whole-process CPU over the run (both sides of the bench included), percent of one core. */
  processCpuPct: number;
  /** Bytes written to the recordings, all lines. */
  bytes: number;
  seconds: number;
}

async function run(lines: number, recorded: boolean, dir: string): Promise<RecordingCostRun> {
  const rig = await openPhonePath(Array<CodecName>(lines).fill('G722'));
  try {
    const files = rig.sessions.map((_, i) => join(dir, `${recorded ? 'on' : 'off'}-${i}.wav`));
    if (recorded) await Promise.all(rig.sessions.map((s, i) => s.record(files[i]!)));
    const elu0 = rig.engine.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await rig.go();
    const seconds = (performance.now() - t0) / 1000;
    const elu = rig.engine.eventLoopUtilization(elu0)[0]!;
    const cpu = process.cpuUsage(cpu0);
    if (result.type !== 'done') throw new Error('the bench peer did not finish');
    if (recorded) await Promise.all(rig.sessions.map((s) => s.stopRecording()));
    await Promise.all(rig.sessions.map((s) => s.unbridgePhone()));
    const bytes = recorded ? files.reduce((sum, f) => sum + statSync(f).size, 0) : 0;
    return { recorded, lines, busyMsPerS: elu.active / seconds, processCpuPct: ((cpu.user + cpu.system) / 1e3 / seconds / 1000) * 100, bytes, seconds };
  } finally {
    await rig.close();
  }
}

export async function measureRecordingCost(lines = 16): Promise<[RecordingCostRun, RecordingCostRun]> {
  setLogLevel('error');
  const dir = mkdtempSync(join(tmpdir(), 'sip2wa-bench-recording-'));
  try {
    return [await run(lines, false, dir), await run(lines, true, dir)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRecordingCostBench(lines = 16): Promise<string> {
  const [off, on] = await measureRecordingCost(lines);
  const perLine = (on.busyMsPerS - off.busyMsPerS) / lines;
  const out = [
    `\nCall recording cost: ${lines} G.722 calls through one media worker, not recorded then recorded (16 kHz stereo WAV each), ${off.seconds.toFixed(1)} s per run`,
    'recorded  media worker busy ms/s  process CPU  written MB',
  ];
  for (const r of [off, on]) {
    out.push([(r.recorded ? 'yes' : 'no').padEnd(8), r.busyMsPerS.toFixed(1).padStart(22), `${r.processCpuPct.toFixed(1)} %`.padStart(11), (r.bytes / 1e6).toFixed(1).padStart(11)].join('  '));
  }
  out.push(
    `recorded / not recorded: media worker ${(on.busyMsPerS / off.busyMsPerS).toFixed(3)}x; ${perLine.toFixed(3)} ms/s (${(perLine / 10).toFixed(3)} % of a core) of the media thread per recorded line; process ${(on.processCpuPct / off.processCpuPct).toFixed(3)}x`,
  );
  return out.join('\n');
}
