/**
 * Which changes of a line are only its live figures: the call's RTP stats (levels, jitter, packet
 * counts) and the phone's ping round trip. The station pushes those as often as it samples them; the
 * console draws them at most a few times a second (the store coalesces them), while every other change
 * (a registration, a call's state, a phone unplugged) is drawn at once.
 */
import type { LineView } from '../../../electron/station/api/types';

/** The parts of a line that are live figures, by the key of the part that holds them. */
const LIVE: Record<string, string> = { call: 'stats', device: 'pingRttMs' };

/** `a` and `b` (shared with `share`) differ at most in `except`. */
function sameExcept(a: unknown, b: unknown, except: string): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const pa = a as Record<string, unknown>;
  const pb = b as Record<string, unknown>;
  const keys = Object.keys(pb);
  if (keys.length !== Object.keys(pa).length) return false;
  return keys.every((k) => k === except || (k in pa && pa[k] === pb[k]));
}

/**
 * True when `next` differs from `prev` only in live figures. Both must come from `share`, so an equal
 * part is the same object and a comparison by identity suffices.
 */
export function onlyLiveFiguresChanged(prev: LineView | undefined, next: LineView): boolean {
  if (!prev) return false;
  if (prev === next) return true;
  const keys = Object.keys(next) as (keyof LineView)[];
  if (keys.length !== Object.keys(prev).length) return false;
  return keys.every((k) => prev[k] === next[k] || (k in LIVE && sameExcept(prev[k], next[k], LIVE[k]!)));
}
