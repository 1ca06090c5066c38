/**
 * What call recording costs the media thread: the same N calls (RTP from a peer through the media worker
 * to a stand-in agent and back, bench/phone-latency-peer.ts) carried in one run not recorded and each
 * recorded to its own WAV file. Measured over each: the media worker thread's own CPU time
 * (/proc/thread-self) and its event loop utilization (which, on a loaded machine, also counts time the
 * thread waited for a core). The ratio and the extra CPU per recorded line are the figures; the disk
 * writes run on libuv's thread pool, off the media thread, and show in the process CPU.
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
  /** Media worker thread CPU over the run, ms per second. */
  cpuMsPerS: number;
  /** Media worker busy time (event loop utilization) over the run, ms per second; on a loaded machine it counts time the thread waited for a core too. */
  busyMsPerS: number;
  /** Whole-process CPU over the run (both sides of the bench included), percent of one core. */
  processCpuPct: number;
  /** Bytes written to the recordings, all lines. */
  bytes: number;
  seconds: number;
}

async function run(lines: number, recorded: boolean, dir: string, tag: number): Promise<RecordingCostRun> {
  const rig = await openPhonePath(Array<CodecName>(lines).fill('G722'));
  try {
    const files = rig.sessions.map((_, i) => join(dir, `run${tag}-${i}.wav`));
    if (recorded) await Promise.all(rig.sessions.map((s, i) => s.record(files[i]!)));
    const [thread0] = await rig.engine.threadCpuMs();
    const elu0 = rig.engine.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await rig.go();
    const seconds = (performance.now() - t0) / 1000;
    const elu = rig.engine.eventLoopUtilization(elu0)[0]!;
    const cpu = process.cpuUsage(cpu0);
    const [thread1] = await rig.engine.threadCpuMs();
    if (result.type !== 'done') throw new Error('the bench peer did not finish');
    if (recorded) await Promise.all(rig.sessions.map((s) => s.stopRecording()));
    await Promise.all(rig.sessions.map((s) => s.unbridgePhone()));
    const bytes = recorded ? files.reduce((sum, f) => sum + statSync(f).size, 0) : 0;
    const cpuMsPerS = thread0 != null && thread1 != null ? (thread1 - thread0) / seconds : NaN;
    return { recorded, lines, cpuMsPerS, busyMsPerS: elu.active / seconds, processCpuPct: ((cpu.user + cpu.system) / 1e3 / seconds / 1000) * 100, bytes, seconds };
  } finally {
    await rig.close();
  }
}

/** Means of two runs each, in the order not, recorded, recorded, not: a drift in the machine's load over the runs cancels out. */
export async function measureRecordingCost(lines = 16): Promise<[RecordingCostRun, RecordingCostRun]> {
  setLogLevel('error');
  const dir = mkdtempSync(join(tmpdir(), 'sip2wa-bench-recording-'));
  try {
    const runs: RecordingCostRun[] = [];
    for (const recorded of [false, true, true, false]) runs.push(await run(lines, recorded, dir, runs.length));
    const mean = (rs: RecordingCostRun[]): RecordingCostRun => ({
      recorded: rs[0]!.recorded,
      lines,
      cpuMsPerS: (rs[0]!.cpuMsPerS + rs[1]!.cpuMsPerS) / 2,
      busyMsPerS: (rs[0]!.busyMsPerS + rs[1]!.busyMsPerS) / 2,
      processCpuPct: (rs[0]!.processCpuPct + rs[1]!.processCpuPct) / 2,
      bytes: (rs[0]!.bytes + rs[1]!.bytes) / 2,
      seconds: (rs[0]!.seconds + rs[1]!.seconds) / 2,
    });
    return [mean(runs.filter((r) => !r.recorded)), mean(runs.filter((r) => r.recorded))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRecordingCostBench(lines = 16): Promise<string> {
  const [off, on] = await measureRecordingCost(lines);
  const perLine = (on.cpuMsPerS - off.cpuMsPerS) / lines;
  const out = [
    `\nCall recording cost: ${lines} G.722 calls through one media worker, not recorded and recorded (16 kHz stereo WAV each), two runs of ${off.seconds.toFixed(1)} s each (not, recorded, recorded, not)`,
    'recorded  media thread CPU ms/s  media loop busy ms/s  process CPU  written MB',
  ];
  for (const r of [off, on]) {
    out.push(
      [
        (r.recorded ? 'yes' : 'no').padEnd(8),
        r.cpuMsPerS.toFixed(1).padStart(21),
        r.busyMsPerS.toFixed(1).padStart(20),
        `${r.processCpuPct.toFixed(1)} %`.padStart(11),
        (r.bytes / 1e6).toFixed(1).padStart(10),
      ].join('  '),
    );
  }
  out.push(
    `recorded / not recorded: media thread CPU ${(on.cpuMsPerS / off.cpuMsPerS).toFixed(3)}x, ${perLine.toFixed(3)} ms/s (${(perLine / 10).toFixed(3)} % of a core) per recorded line; process CPU ${(on.processCpuPct / off.processCpuPct).toFixed(3)}x (the disk writes run on libuv's thread pool)`,
  );
  return out.join('\n');
}
