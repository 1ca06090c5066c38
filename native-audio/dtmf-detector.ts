/**
 * DTMF digit detection on decoded call audio (8 or 16 kHz), for lines whose PBX sends in-band tones
 * instead of RFC 4733 events.
 *
 * Every 20 ms block, Goertzel filters measure the four low-group (row) and four high-group (column)
 * frequencies. A block holds a digit only if the strongest row and column tone each stand out from
 * their group, are loud enough, have a plausible level difference (twist), and together carry most
 * of the block's energy (so speech and noise, which spread energy widely, do not qualify). A digit is
 * reported on after two agreeing blocks (40 ms, the shortest valid DTMF tone) and off after two blocks
 * without it, so one odd block neither starts nor ends a digit.
 */
import { goertzelPower } from './pcm';

const ROWS = [697, 770, 852, 941] as const;
const COLUMNS = [1209, 1336, 1477, 1633] as const;
const KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

/** Weakest tone accepted, per tone, in dBFS: well below the -25 dBFS a quiet line delivers. */
const MIN_TONE_DBFS = -36;
/** The column tone may be this much louder (normal twist) or the row tone this much louder (reverse). */
const MAX_NORMAL_TWIST_DB = 8;
const MAX_REVERSE_TWIST_DB = 8;
/** The chosen tone must beat every other tone of its group by this much. */
const MIN_GROUP_DOMINANCE_DB = 10;
/** Share of the block's energy the two tones must carry (about 10 dB above everything else). */
const MIN_TONE_ENERGY_SHARE = 0.9;
/** Blocks that must agree before a digit starts or ends. */
const DEBOUNCE_BLOCKS = 2;
const BLOCK_MS = 20;

export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

export interface DtmfEvent {
  digit: DtmfDigit;
  state: 'on' | 'off';
  /** Time of the block that confirmed the change, from the first sample pushed. */
  atMs: number;
}

function dbToPower(db: number): number {
  return 10 ** (db / 10);
}

export class DtmfDetector {
  private readonly block: Float64Array;
  private filled = 0;
  private blocks = 0;
  /** The digit currently reported on, and the candidate with how many blocks in a row agreed. */
  private current: DtmfDigit | undefined;
  private candidate: DtmfDigit | undefined;
  private streak = 0;
  private readonly minTonePower: number;

  constructor(private readonly sampleRate: 8000 | 16000) {
    this.block = new Float64Array((sampleRate * BLOCK_MS) / 1000);
    // Goertzel power of a sine of peak A over N samples is (A N / 2)^2.
    const minAmplitude = 32767 * 10 ** (MIN_TONE_DBFS / 20);
    this.minTonePower = ((minAmplitude * this.block.length) / 2) ** 2;
  }

  /** Feeds audio of any frame length; returns the digit changes it completed. */
  push(pcm: Int16Array): DtmfEvent[] {
    const events: DtmfEvent[] = [];
    for (let i = 0; i < pcm.length; i++) {
      this.block[this.filled++] = pcm[i]!;
      if (this.filled === this.block.length) {
        this.filled = 0;
        this.blocks++;
        this.debounce(this.classify(), events);
      }
    }
    return events;
  }

  private debounce(digit: DtmfDigit | undefined, events: DtmfEvent[]): void {
    if (digit === this.candidate) this.streak++;
    else {
      this.candidate = digit;
      this.streak = 1;
    }
    if (this.streak < DEBOUNCE_BLOCKS || this.candidate === this.current) return;
    const atMs = this.blocks * BLOCK_MS;
    if (this.current !== undefined) events.push({ digit: this.current, state: 'off', atMs });
    this.current = this.candidate;
    if (this.current !== undefined) events.push({ digit: this.current, state: 'on', atMs });
  }

  /** The digit this one block holds, if it passes every check. */
  private classify(): DtmfDigit | undefined {
    const row = this.strongest(ROWS);
    const column = this.strongest(COLUMNS);
    if (!row || !column) return undefined;
    if (row.power < this.minTonePower || column.power < this.minTonePower) return undefined;
    const twist = column.power / row.power;
    if (twist > dbToPower(MAX_NORMAL_TWIST_DB) || twist < dbToPower(-MAX_REVERSE_TWIST_DB)) return undefined;
    // Energy of the block against the tones' share of it (a sine's Goertzel power is N/2 times its energy).
    let energy = 0;
    for (let i = 0; i < this.block.length; i++) energy += this.block[i]! * this.block[i]!;
    const toneEnergy = ((row.power + column.power) * 2) / this.block.length;
    if (toneEnergy < MIN_TONE_ENERGY_SHARE * energy) return undefined;
    return KEYPAD[row.index]![column.index] as DtmfDigit;
  }

  /** The group's strongest tone if it beats the others by the dominance margin. */
  private strongest(group: readonly number[]): { index: number; power: number } | undefined {
    const powers = group.map((f) => goertzelPower(this.block, f, this.sampleRate));
    let index = 0;
    for (let i = 1; i < powers.length; i++) if (powers[i]! > powers[index]!) index = i;
    const power = powers[index]!;
    const margin = dbToPower(MIN_GROUP_DOMINANCE_DB);
    for (let i = 0; i < powers.length; i++) if (i !== index && powers[i]! * margin > power) return undefined;
    return { index, power };
  }
}

/** Row and column frequencies of a digit, for generating test tones. */
export function dtmfFrequencies(digit: DtmfDigit): [number, number] {
  for (let r = 0; r < 4; r++) {
    const c = KEYPAD[r]!.indexOf(digit);
    if (c >= 0) return [ROWS[r]!, COLUMNS[c]!];
  }
  throw new Error(`DTMF: '${digit}' is not a keypad digit`);
}

export const DTMF_DIGITS: readonly DtmfDigit[] = [...'0123456789*#ABCD'] as DtmfDigit[];
