import { describe, expect, it } from 'vitest';
import { dtmfFrequencies, type DtmfDigit as KeypadDigit } from '../../../native-audio/dtmf-detector';
import { DualToneGenerator } from '../../../native-audio/tone';
import { InbandDtmf } from './dtmf-inband';
import type { DtmfDigit } from './dtmf-rfc4733';

/** Drives an InbandDtmf with 20 ms frames at 8 kHz on a virtual clock. */
function rig(preferRfc4733: boolean) {
  const digits: Array<DtmfDigit & { atMs: number }> = [];
  let now = 0;
  const inband = new InbandDtmf({ sampleRate: 8000, preferRfc4733, graceMs: 300, onDigit: (d) => digits.push({ ...d, atMs: now }) });
  const play = (key: KeypadDigit | null, ms: number): void => {
    const gen = key ? new DualToneGenerator(...dtmfFrequencies(key), -12, 8000) : null;
    for (let t = 0; t < ms; t += 20, now += 20) inband.push(gen ? gen.next(160) : new Int16Array(160), now * 8, now);
  };
  return { inband, digits, play, now: () => now };
}

describe('InbandDtmf', () => {
  it('without telephone-event reports each tone when it ends, with its length and level', () => {
    const r = rig(false);
    r.play('3', 120);
    r.play(null, 100);
    expect(r.digits).toHaveLength(1);
    // Reported in the second silent frame: the detector wants two blocks without the tone.
    expect(r.digits[0]).toMatchObject({ digit: '3', durationMs: 120, atMs: 140 });
    // Each tone at -12 dBFS is -8.8 dBm0 (a full-scale G.711 sine is +3.17 dBm0): volume 9.
    expect(r.digits[0]!.volume).toBe(9);
  });

  it('with telephone-event holds a tone digit for the grace period and drops it when its RFC 4733 twin arrives', () => {
    const r = rig(true);
    r.play('6', 100);
    r.play(null, 60);
    r.inband.rfc4733('6'); // the event came after the tone was recognised
    r.play(null, 400);
    expect(r.digits).toEqual([]);
  });

  it('with telephone-event reports tone-only digits after the grace period, each one, in order', () => {
    const r = rig(true);
    r.play('1', 100);
    r.play(null, 60);
    r.play('2', 100);
    r.play(null, 500);
    expect(r.digits.map((d) => d.digit)).toEqual(['1', '2']);
    // The '1' ended (was confirmed off) in the frame at 120 ms and waited out the 300 ms grace.
    expect(r.digits[0]!.atMs).toBe(120 + 300);
  });

  it('stops listening to tones once the peer has sent an RFC 4733 digit', () => {
    const r = rig(true);
    r.inband.rfc4733('9');
    expect(r.inband.active).toBe(false);
    r.play('5', 100);
    r.play(null, 500);
    expect(r.digits).toEqual([]);
  });
});
