/**
 * Basic RTCP ({@link https://www.rfc-editor.org/rfc/rfc3550#section-6 | RFC 3550 §6}): sender and receiver
 * reports with one report block, SDES CNAME and BYE, in compound packets (§6.1: every compound starts
 * with SR or RR and carries a CNAME). Enough for a PBX's call-quality view and for our round-trip time;
 * no RTCP-XR, no feedback messages.
 */

import type { ReceptionReport } from './rtp-receiver';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
const SDES_CNAME = 1;

export interface SenderInfo {
  /** NTP timestamp as [seconds since 1900, fraction]. */
  ntp: [number, number];
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export interface ReportBlock extends ReceptionReport {
  /** Middle 32 bits of the NTP timestamp of the last SR from that source (0: none yet). */
  lastSr: number;
  /** Delay since that SR, in 1/65536 s. */
  delaySinceLastSr: number;
}

export type RtcpPacket =
  | { type: 'sr'; ssrc: number; sender: SenderInfo; reports: ReportBlock[] }
  | { type: 'rr'; ssrc: number; reports: ReportBlock[] }
  | { type: 'sdes'; chunks: Array<{ ssrc: number; cname: string | null }> }
  | { type: 'bye'; ssrcs: number[] }
  | { type: 'other'; packetType: number };

export interface CompoundInit {
  ssrc: number;
  cname: string;
  /** Present when we sent RTP since the last report: then the report is an SR. */
  sender?: SenderInfo;
  reports?: ReportBlock[];
  bye?: boolean;
}

const NTP_EPOCH_OFFSET_S = 2_208_988_800;

/** Wall clock as an NTP timestamp (§4). */
export function ntpNow(nowMs = Date.now()): [number, number] {
  const seconds = Math.floor(nowMs / 1000);
  return [(seconds + NTP_EPOCH_OFFSET_S) >>> 0, Math.floor(((nowMs % 1000) / 1000) * 2 ** 32) >>> 0];
}

/** The compact 32-bit form used in LSR (§6.4.1). */
export function ntpMiddle32([sec, frac]: [number, number]): number {
  return (((sec & 0xffff) << 16) | (frac >>> 16)) >>> 0;
}

/** The randomized report interval of §6.3.1 for a two-party call: 0.5-1.5 times the 5 s minimum. */
export function rtcpIntervalMs(baseMs = 5000, random = Math.random): number {
  return baseMs * (0.5 + random());
}

function header(view: DataView, at: number, count: number, type: number, words: number): void {
  view.setUint8(at, 0x80 | count);
  view.setUint8(at + 1, type);
  view.setUint16(at + 2, words - 1);
}

function writeBlock(view: DataView, at: number, b: ReportBlock): void {
  view.setUint32(at, b.ssrc >>> 0);
  view.setUint32(at + 4, ((b.fractionLost & 0xff) << 24) | (b.cumulativeLost & 0xffffff));
  view.setUint32(at + 8, b.extendedHighestSeq >>> 0);
  view.setUint32(at + 12, b.jitter >>> 0);
  view.setUint32(at + 16, b.lastSr >>> 0);
  view.setUint32(at + 20, b.delaySinceLastSr >>> 0);
}

/** Builds SR-or-RR + SDES CNAME (+ BYE) as one compound packet. */
export function buildCompound(init: CompoundInit): Uint8Array {
  const reports = (init.reports ?? []).slice(0, 31);
  const reportBytes = (init.sender ? 28 : 8) + reports.length * 24;
  const cname = new TextEncoder().encode(init.cname).subarray(0, 255);
  // SDES chunk: SSRC, CNAME item (type, length, text), at least one null octet, padded to 32 bits.
  const chunkBytes = Math.ceil((4 + 2 + cname.length + 1) / 4) * 4;
  const sdesBytes = 4 + chunkBytes;
  const byeBytes = init.bye ? 8 : 0;
  const out = new Uint8Array(reportBytes + sdesBytes + byeBytes);
  const view = new DataView(out.buffer);
  header(view, 0, reports.length, init.sender ? RTCP_SR : RTCP_RR, reportBytes / 4);
  view.setUint32(4, init.ssrc >>> 0);
  let at = 8;
  if (init.sender) {
    view.setUint32(8, init.sender.ntp[0]);
    view.setUint32(12, init.sender.ntp[1]);
    view.setUint32(16, init.sender.rtpTimestamp >>> 0);
    view.setUint32(20, init.sender.packetCount >>> 0);
    view.setUint32(24, init.sender.octetCount >>> 0);
    at = 28;
  }
  for (const b of reports) {
    writeBlock(view, at, b);
    at += 24;
  }
  header(view, at, 1, RTCP_SDES, sdesBytes / 4);
  view.setUint32(at + 4, init.ssrc >>> 0);
  out[at + 8] = SDES_CNAME;
  out[at + 9] = cname.length;
  out.set(cname, at + 10);
  at += sdesBytes;
  if (init.bye) {
    header(view, at, 1, RTCP_BYE, 2);
    view.setUint32(at + 4, init.ssrc >>> 0);
  }
  return out;
}

function readBlocks(view: DataView, at: number, count: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count; i++, at += 24) {
    const word = view.getUint32(at + 4);
    blocks.push({
      ssrc: view.getUint32(at),
      fractionLost: word >>> 24,
      cumulativeLost: (word << 8) >> 8, // 24-bit signed
      extendedHighestSeq: view.getUint32(at + 8),
      jitter: view.getUint32(at + 12),
      lastSr: view.getUint32(at + 16),
      delaySinceLastSr: view.getUint32(at + 20),
    });
  }
  return blocks;
}

function readSdes(buf: Uint8Array, start: number, end: number, count: number): Array<{ ssrc: number; cname: string | null }> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const chunks: Array<{ ssrc: number; cname: string | null }> = [];
  let at = start;
  for (let c = 0; c < count && at + 4 <= end; c++) {
    const ssrc = view.getUint32(at);
    at += 4;
    let cname: string | null = null;
    while (at < end && buf[at] !== 0) {
      const type = buf[at]!;
      const len = buf[at + 1] ?? 0;
      if (at + 2 + len > end) throw new Error(`SDES item of ${len} bytes runs past the end of the packet`);
      if (type === SDES_CNAME) cname = new TextDecoder().decode(buf.subarray(at + 2, at + 2 + len));
      at += 2 + len;
    }
    at = (Math.floor(at / 4) + 1) * 4; // the null terminator plus padding to the next word
    chunks.push({ ssrc, cname });
  }
  return chunks;
}

/** Parses a compound packet; throws an Error that says which sub-packet is malformed and how. */
export function parseCompound(buf: Uint8Array): RtcpPacket[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 4 > buf.length) throw new Error(`RTCP: ${buf.length - at} trailing bytes are not a packet header`);
    const b0 = buf[at]!;
    if (b0 >> 6 !== 2) throw new Error(`RTCP: version ${b0 >> 6} at byte ${at}, expected 2`);
    const count = b0 & 0x1f;
    const type = buf[at + 1]!;
    const end = at + (view.getUint16(at + 2) + 1) * 4;
    if (end > buf.length) throw new Error(`RTCP: packet type ${type} at byte ${at} claims ${end - at} bytes, only ${buf.length - at} left`);
    if (type === RTCP_SR || type === RTCP_RR) {
      const fixed = type === RTCP_SR ? 28 : 8;
      if (at + fixed + count * 24 > end) throw new Error(`RTCP: ${type === RTCP_SR ? 'SR' : 'RR'} too short for ${count} report blocks`);
      const ssrc = view.getUint32(at + 4);
      const reports = readBlocks(view, at + fixed, count);
      if (type === RTCP_SR) {
        const sender: SenderInfo = {
          ntp: [view.getUint32(at + 8), view.getUint32(at + 12)],
          rtpTimestamp: view.getUint32(at + 16),
          packetCount: view.getUint32(at + 20),
          octetCount: view.getUint32(at + 24),
        };
        packets.push({ type: 'sr', ssrc, sender, reports });
      } else packets.push({ type: 'rr', ssrc, reports });
    } else if (type === RTCP_SDES) {
      packets.push({ type: 'sdes', chunks: readSdes(buf, at + 4, end, count) });
    } else if (type === RTCP_BYE) {
      const ssrcs: number[] = [];
      for (let i = 0; i < count && at + 8 + i * 4 <= end; i++) ssrcs.push(view.getUint32(at + 4 + i * 4));
      packets.push({ type: 'bye', ssrcs });
    } else packets.push({ type: 'other', packetType: type });
    at = end;
  }
  return packets;
}

/**
 * Round-trip time from a report block about our stream (§6.4.1): now - LSR - DLSR, in milliseconds.
 * Null when the peer has not yet seen one of our SRs.
 */
export function roundTripMs(block: ReportBlock, nowMs = Date.now()): number | null {
  if (!block.lastSr) return null;
  const now = ntpMiddle32(ntpNow(nowMs));
  const rtt = (now - block.lastSr - block.delaySinceLastSr) >>> 0;
  return (rtt / 65536) * 1000;
}
