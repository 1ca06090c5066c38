/**
 * The contract between the control thread (MediaEngine) and a media worker, declared once for both.
 * The phone's audio never crosses: the control thread only says "bridge session X to the phone's agent
 * at port N, call C" and gets counts and states back (PROTOCOL.md, "Channels"). PCM that does cross (a
 * tapped session, a prompt to play) travels as transferred ArrayBuffers (16 kHz s16 mono), without copies.
 */
import type { DtmfDigit } from './dtmf-rfc4733';
import type { EchoMeasurement } from './echo-signal';
import type { PhoneAudioCounts, PhoneAudioLinkState } from './phone-audio-link';
import type { RecordingSummary } from './call-recording';
import type { PacingClockStats } from '../../../native-audio/pacing-clock';
import type { RtpSessionStats } from './rtp-session';
import type { NegotiatedAudio } from './sdp';
import type { PortRange } from './udp-port-pair';

export interface SessionSpec {
  id: string;
  bindAddress?: string;
  portRange?: PortRange;
  cname?: string;
  /** The PBX's media addresses besides the SDP's (rtp-source-latch.ts). */
  trustedSources?: readonly string[];
  rtcpIntervalMs?: number;
  /** Test/demo impairment: fraction of incoming RTP dropped. */
  receiveLossRate?: number;
}

/** Where a call's audio connection goes: the forward's local port, the station's software, the phone's call id. */
export interface PhoneTarget {
  port: number;
  software: string;
  callId: number;
  /** Acknowledge downlink frames with audio-ack (default true; the bench measures without). */
  ack?: boolean;
}

/** A session's (or an echo test's) phone audio, as the stats pull reports it. */
export interface PhoneAudioStats {
  id: string;
  state: PhoneAudioLinkState;
  detail: string;
  counts: PhoneAudioCounts;
}

/** Control -> worker. Requests carry `req`; the worker answers each with `ok` or `error`. */
export type ToWorker =
  | { type: 'create'; req: number; spec: SessionSpec }
  /** Bridges the session's PCM to the phone: the worker opens the audio connection and carries the frames. */
  | { type: 'phone'; req: number; id: string; phone: PhoneTarget }
  /** The forward moved: the session's (or echo test's) audio connection reconnects through `port`. */
  | { type: 'phone-port'; req: number; id: string; port: number }
  /** Ends the phone audio of a session or an echo test; answers its counts. */
  | { type: 'unphone'; req: number; id: string }
  /** Plays samples into the session at real time; answers { played } (false: stopped before the end). */
  | { type: 'play'; req: number; id: string; pcm: ArrayBuffer }
  | { type: 'stop-play'; req: number; id: string }
  /** Station-local echo: what the session receives is sent straight back, inside the worker. */
  | { type: 'loopback'; req: number; id: string; on: boolean }
  /** Records the session's bridged audio, both sides, to a new WAV file (call-recording.ts); answers once it is open. */
  | { type: 'record'; req: number; id: string; file: string }
  /** Ends the recording; answers its summary (null: none). */
  | { type: 'unrecord'; req: number; id: string }
  /** Sends the session's received PCM to the control thread as `pcm` messages (tests, benches). */
  | { type: 'tap'; req: number; id: string; on: boolean }
  /** The line echo test: streams the test signal to the phone and measures what comes back (id names it). */
  | { type: 'echo-test'; req: number; id: string; phone: PhoneTarget }
  | { type: 'configure'; req: number; id: string; negotiated: NegotiatedAudio }
  | { type: 'dtmf'; req: number; id: string; digits: string }
  | { type: 'stats'; req: number }
  /** The worker thread's CPU time so far (benches); answers { cpuMs } (null without /proc). */
  | { type: 'cpu'; req: number }
  | { type: 'describe'; req: number; id: string }
  | { type: 'destroy'; req: number; id: string }
  | { type: 'pcm'; id: string; pcm: ArrayBuffer };

export interface WorkerStats {
  clock: PacingClockStats;
  sessions: RtpSessionStats[];
  phones: PhoneAudioStats[];
}

/** What an echo test measured; `complete` is false when it was ended (unphone) before the signal was through. */
export interface EchoTestValue {
  complete: boolean;
  result: EchoMeasurement;
}

export type ReplyValue =
  | { port: number }
  | WorkerStats
  | { sent: boolean }
  | { text: string }
  | { played: boolean }
  | PhoneAudioCounts
  | EchoTestValue
  | RecordingSummary
  | { cpuMs: number | null }
  | null;

/** Worker -> control. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'ok'; req: number; value: ReplyValue }
  | { type: 'error'; req: number; message: string }
  | { type: 'pcm'; id: string; pcm: ArrayBuffer }
  | { type: 'dtmf'; id: string; digit: DtmfDigit };
