/**
 * Watches a connected call's media through the stats the media engine pulls about once a second
 * (media-engine.ts), and says when something is wrong that neither side will say in SIP:
 *
 * - **RTP timeout**: no RTP has arrived from the PBX side for `rtpTimeoutMs` while the media is
 *   `sendrecv`. A call on hold (we are `recvonly`, `sendonly` or `inactive`) never trips it, and its
 *   count starts again when the hold ends. 0 switches it off (the default: some PBXs send no RTP on hold
 *   without saying so in SDP).
 * - **One-way audio**: one side's level stays below {@link SILENCE_BELOW_DBFS} for
 *   {@link ONE_WAY_AFTER_MS} while the other side carried speech (above {@link SPEECH_ABOVE_DBFS}) in
 *   that time. Said once per stretch of silence; the side that is heard again re-arms it.
 *
 *   sample --sendrecv?--no--> held: RTP count restarts, one-way stretches reset
 *            |yes
 *            +--packets grew?--yes--> lastRtpAt = now
 *            +--now - max(lastRtpAt, heldAt, first) >= rtpTimeoutMs--> rtp-timeout (once)
 *            +--a side silent since T, other side spoke since T, now - T >= 10 s--> one-way (once per T)
 *
 * Time is whatever the caller passes as `at` (epoch ms in the product, a driven clock in tests), so the
 * watch has no timers of its own.
 */
import type { MediaDirection } from './sdp';

/** Below this a side is silent: a muted microphone or a dead path (-120 is digital silence). */
export const SILENCE_BELOW_DBFS = -55;
/** Above this a side carries speech (a normal talker reads about -20 dBFS). */
export const SPEECH_ABOVE_DBFS = -40;
/** How long one side must stay silent while the other speaks before it is one-way audio. */
export const ONE_WAY_AFTER_MS = 10_000;

/** What the watch reads of one stats pull (a subset of RtpSessionStats, with the time it was taken). */
export interface MediaSample {
  at: number;
  packetsReceived: number;
  direction: MediaDirection;
  /** The level of what the PBX side sends (received over RTP). */
  levelInDbfs: number;
  /** The level of what the phone side sends (sent over RTP). */
  levelOutDbfs: number;
}

/** The side whose audio is missing: `pbx` = nothing heard over RTP, `phone` = nothing from the phone. */
export type SilentSide = 'pbx' | 'phone';

export type MediaAlarm =
  | { kind: 'rtp-timeout'; /** When RTP last arrived (or the watch started, if it never did). */ lastRtpAt: number; quietMs: number }
  | { kind: 'one-way'; silent: SilentSide; silentSince: number; silentMs: number };

export interface CallMediaWatchOptions {
  /** No RTP for this long ends the call; 0 = off. */
  rtpTimeoutMs: number;
  oneWayAfterMs?: number;
}

/** One side's current stretch of silence: since when, and whether the other side spoke during it. */
interface Stretch {
  since: number;
  otherSpoke: boolean;
  reported: boolean;
}

export class CallMediaWatch {
  /** When RTP last arrived from the PBX side; null until it does. */
  lastRtpAt: number | null = null;
  private firstAt: number | null = null;
  private heldAt: number | null = null;
  private packets = 0;
  private timedOut = false;
  private readonly silent: { [side in SilentSide]: Stretch | null } = { pbx: null, phone: null };
  private readonly oneWayAfterMs: number;

  constructor(private readonly options: CallMediaWatchOptions) {
    this.oneWayAfterMs = options.oneWayAfterMs ?? ONE_WAY_AFTER_MS;
  }

  /** Takes one stats sample; returns what became wrong with it (usually nothing). */
  sample(s: MediaSample): MediaAlarm[] {
    this.firstAt ??= s.at;
    const arrived = s.packetsReceived > this.packets;
    this.packets = Math.max(this.packets, s.packetsReceived);
    if (arrived) this.lastRtpAt = s.at;
    if (s.direction !== 'sendrecv') {
      // On hold: silence is expected, on both counts.
      this.heldAt = s.at;
      this.silent.pbx = this.silent.phone = null;
      return [];
    }
    const alarms: MediaAlarm[] = [];
    const since = Math.max(this.lastRtpAt ?? this.firstAt, this.heldAt ?? this.firstAt);
    if (this.options.rtpTimeoutMs > 0 && !this.timedOut && s.at - since >= this.options.rtpTimeoutMs) {
      this.timedOut = true;
      alarms.push({ kind: 'rtp-timeout', lastRtpAt: this.lastRtpAt ?? this.firstAt, quietMs: s.at - since });
    }
    // The received level holds its last value when packets stop: no packets is silence from the PBX.
    const pbxLevel = arrived ? s.levelInDbfs : -Infinity;
    const heard: { [side in SilentSide]: number } = { pbx: pbxLevel, phone: s.levelOutDbfs };
    for (const side of ['pbx', 'phone'] as const) {
      const other = side === 'pbx' ? 'phone' : 'pbx';
      if (heard[side] >= SILENCE_BELOW_DBFS) {
        this.silent[side] = null;
        continue;
      }
      const stretch = (this.silent[side] ??= { since: s.at, otherSpoke: false, reported: false });
      if (heard[other] > SPEECH_ABOVE_DBFS) stretch.otherSpoke = true;
      if (!stretch.reported && stretch.otherSpoke && s.at - stretch.since >= this.oneWayAfterMs) {
        stretch.reported = true;
        alarms.push({ kind: 'one-way', silent: side, silentSince: stretch.since, silentMs: s.at - stretch.since });
      }
    }
    return alarms;
  }
}

/** An alarm in the operator's words, with the likely cause. */
export function describeMediaAlarm(alarm: MediaAlarm): string {
  if (alarm.kind === 'rtp-timeout') {
    // Whole seconds heard nothing: at least the configured timeout, more when the stats came late.
    return `no RTP from the PBX for ${Math.floor(alarm.quietMs / 1000)} s: the caller is gone or the media path broke (check NAT / RTP ports on the PBX)`;
  }
  const s = Math.round(alarm.silentMs / 1000);
  return alarm.silent === 'pbx'
    ? `one-way audio: nothing heard from the PBX side for ${s} s while the phone side speaks (check NAT / RTP ports on the PBX, or a muted desk phone)`
    : `one-way audio: nothing heard from the phone for ${s} s while the PBX side speaks (check the phone's audio route, or the WhatsApp contact muted)`;
}
