/**
 * The contract between the control thread (MediaEngine) and a media worker, declared once for both.
 * PCM travels as transferred ArrayBuffers (20 ms, 320 samples of 16 kHz s16 mono), so frames move
 * between threads without copies.
 */
import type { DtmfDigit } from './dtmf-rfc4733';
import type { MediaClockStats } from './media-clock';
import type { RtpSessionStats } from './rtp-session';
import type { NegotiatedAudio } from './sdp';
import type { PortRange } from './udp-port-pair';

export interface SessionSpec {
  id: string;
  bindAddress?: string;
  portRange?: PortRange;
  cname?: string;
  rtcpIntervalMs?: number;
  /** Test/demo impairment: fraction of incoming RTP dropped. */
  receiveLossRate?: number;
}

/** Control -> worker. Requests carry `req`; the worker answers each with `ok` or `error`. */
export type ToWorker =
  | { type: 'create'; req: number; spec: SessionSpec }
  | { type: 'configure'; req: number; id: string; negotiated: NegotiatedAudio }
  | { type: 'dtmf'; req: number; id: string; digits: string }
  | { type: 'stats'; req: number }
  | { type: 'describe'; req: number; id: string }
  | { type: 'destroy'; req: number; id: string }
  | { type: 'pcm'; id: string; pcm: ArrayBuffer };

export interface WorkerStats {
  clock: MediaClockStats;
  sessions: RtpSessionStats[];
}

export type ReplyValue = { port: number } | WorkerStats | { sent: boolean } | { text: string } | null;

/** Worker -> control. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'ok'; req: number; value: ReplyValue }
  | { type: 'error'; req: number; message: string }
  | { type: 'pcm'; id: string; pcm: ArrayBuffer }
  | { type: 'dtmf'; id: string; digit: DtmfDigit };
