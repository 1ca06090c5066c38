/**
 * The types of an RTP session: its states, what it is opened with, and the statistics it reports
 * (which the call view and the call records show).
 */
import type { DtmfDigit } from './dtmf-rfc4733';
import type { PacingClock } from '../../../native-audio/pacing-clock';
import type { RtpRejectReason } from './rtp-packet';
import type { MediaDirection } from './sdp';
import type { PortRange } from './udp-port-pair';
import type { Logger } from '../util/log';

export enum RtpSessionState {
  Open = 'open',
  Active = 'active',
  Closed = 'closed',
}

export interface RtpSessionOptions {
  id: string;
  clock: PacingClock;
  /** 127.0.0.1 for a PBX on this machine, 0.0.0.0 (or a NIC address) otherwise. */
  bindAddress?: string;
  portRange?: PortRange;
  cname?: string;
  log?: Logger;
  onPcm?: (frame: Int16Array) => void;
  onDtmf?: (digit: DtmfDigit) => void;
  /** Mean RTCP report interval (RFC 3550 §6.2 minimum 5 s; shorter only for tests). */
  rtcpIntervalMs?: number;
  /** The PBX's media addresses besides the SDP's, trusted to latch symmetric RTP (rtp-source-latch.ts). */
  trustedSources?: readonly string[];
  /** How long after the first latch another allowed source may take over; default 2 s. */
  latchWindowMs?: number;
  /** Impairment for tests and demos: drop this fraction of incoming RTP before it is parsed. */
  receiveLossRate?: number;
  random?: () => number;
}

export interface RtpSessionStats {
  id: string;
  state: RtpSessionState;
  codec: string | null;
  direction: MediaDirection;
  localPort: number;
  /** Where we send RTP (after symmetric latching, where the peer's packets come from). */
  remote: string | null;
  packetsSent: number;
  bytesSent: number;
  packetsReceived: number;
  bytesReceived: number;
  lost: number;
  duplicates: number;
  jitterMs: number;
  jitterBufferMs: number;
  late: number;
  discarded: number;
  concealed: number;
  /** Jitter buffer overruns plus uplink frames dropped because the phone sent faster than real time. */
  overruns: number;
  /** Jitter buffer underruns plus ticks with no uplink PCM from the phone. */
  underruns: number;
  rejected: Partial<Record<RtpRejectReason | 'unexpected-pt' | 'impairment' | 'foreign-source', number>>;
  /** RTP packets dropped because they came from another source than the call's (a stranger, a hijack). */
  foreignPackets: number;
  /** RTCP packets dropped for the same reason. */
  foreignRtcp: number;
  dtmfSent: number;
  dtmfReceived: number;
  /** Level of the audio received from RTP (played to the phone). */
  levelInDbfs: number;
  /** Level of the audio sent to RTP (from the phone). */
  levelOutDbfs: number;
  rttMs: number | null;
  rtcpReceived: number;
}
