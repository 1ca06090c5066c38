/**
 * Mouth to ear through the operator's headset: a test dial to the echo contact on a virtual phone,
 * the headset played and recorded by a private PulseAudio daemon (test/support/pulse.ts). Noise bursts
 * (no period to slip by) go into the microphone; each is found again on the speaker by correlation,
 * against a recording of the microphone itself. In the same run the measurement's own error is
 * measured the same way: the microphone recorded twice, which shows how far apart two recorders of one
 * server start (zero when the measure is sound). The station's figure is in 20 ms frames; the budget the operator notices is
 * about 300 ms.
 */
import { createCommandHandler } from '../electron/station/server/command-handler';
import type { StationEvent } from '../electron/station/api/contract';
import type { TestDialView } from '../electron/station/api/types';
import { bestLag } from '../native-audio/pcm';
import { whiteNoise } from '../native-audio/tone';
import { CallRig, ECHO } from '../test/support/call-rig';
import { MIC_SINK, PulseAudio, SPEAKER_SINK } from '../test/support/pulse';
import { waitFor } from '../test/support/wait';

const RATE = 16_000;
const FRAME_MS = 20;
const BUDGET_MS = 300;
const ROUNDS = 3;

const BURSTS = [0, 1, 2, 3, 4, 5].map((b) => ({ at: 8000 + 8000 * b, length: 1600 + 400 * (b % 3) }));

function pattern(): Int16Array {
  const pcm = new Int16Array(RATE * 4);
  for (const [i, b] of BURSTS.entries()) pcm.set(whiteNoise(-15, b.length, i + 1), b.at);
  return pcm;
}

/** One round's two recordings: the bursts played into the mic, recorded at `from` and at `to`. */
interface Take {
  said: Int16Array;
  heard: Int16Array;
}

/** Plays the bursts into the mic and records them at `from` and `to`; the correlation waits for the end of the call. */
async function take(pulse: PulseAudio, from: string, to: string): Promise<Take> {
  const mouth = pulse.record(from);
  const ear = pulse.record(to);
  await waitFor('both recorders running', () => mouth.samples() > 0 && ear.samples() > 0, 10_000);
  await pulse.play(pattern()).done;
  const end = mouth.samples();
  await waitFor('a second after the last burst', () => Math.min(mouth.samples(), ear.samples()) >= end + RATE, 10_000);
  const [said, heard] = await Promise.all([mouth.stop(), ear.stop()]);
  return { said, heard };
}

/**
 * Finds each burst of a take in `heard` against `said` (ms, correlated ones only). Seconds of
 * arithmetic: done after the call, as the virtual phone runs on this thread and would otherwise be
 * held up by it, which the speaker would hear as gaps and bursts that are the bench's, not the station's.
 */
function delays({ said, heard }: Take): number[] {
  // Where the bursts start in the mic recording is found from its level.
  const onset = said.findIndex((v) => Math.abs(v) > 1000);
  if (onset < 0 || heard.length < onset - BURSTS[0]!.at + RATE * 4 + 8000) return [];
  return BURSTS.map((b) => {
    const at = onset + b.at - BURSTS[0]!.at - 800;
    return bestLag(said.subarray(at, at + b.length + 1600 + 8000), heard.subarray(at, at + b.length + 1600 + 8000), 8000);
  })
    .filter((m) => m.r > 0.8)
    .map((m) => (m.lag / RATE) * 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function runHeadsetLatencyBench(): Promise<string> {
  const pulse = await PulseAudio.start();
  pulse.useInThisProcess();
  const rig = new CallRig({ config: { routing: { echoContact: ECHO } } });
  try {
    await rig.start();
    const handle = createCommandHandler(rig.station);
    let view: TestDialView | null = null;
    rig.station.onEvent((e: StationEvent) => e.event === 'testDial' && e.data && (view = e.data));
    await handle('testDial.start', { lineId: 'wa1', number: ECHO });
    await waitFor('test dial connected', () => view?.state === 'connected', 15_000);
    const headset = rig.station.testDial!.headset;
    await waitFor('audio flowing', async () => ((await headset.stats()).phone?.counts.fromPhone ?? 0) >= 100, 15_000);
    const rigTakes: Take[] = [];
    const stationTakes: Take[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rigTakes.push(await take(pulse, MIC_SINK, MIC_SINK));
      stationTakes.push(await take(pulse, MIC_SINK, SPEAKER_SINK));
    }
    const stats = await headset.stats();
    await handle('testDial.hangUp', {});
    await waitFor('test dial ended', () => view?.state === 'ended', 10_000);
    const rigOffset = rigTakes.flatMap(delays);
    const station = stationTakes.flatMap(delays);
    const m = median(station);
    const zero = median(rigOffset);
    return [
      '\nHeadset mouth to ear (test dial to the echo contact, PulseAudio null sinks, noise bursts)',
      `  the measure's own error (the mic recorded twice): ${zero.toFixed(1)} ms over ${rigOffset.length} bursts`,
      `  mic -> headset worker -> phone echo -> speaker: median ${m.toFixed(1)} ms = ${(m / FRAME_MS).toFixed(1)} frames over ${station.length} of ${ROUNDS * BURSTS.length} bursts ` +
        `(target < ${BUDGET_MS} ms: ${m < BUDGET_MS ? 'met' : 'NOT met'})`,
      `  headset counts: ${JSON.stringify(stats.headset)}`,
    ].join('\n');
  } finally {
    await rig.stop();
    await pulse.stop();
  }
}
