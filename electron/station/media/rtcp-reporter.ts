/**
 * The RTCP side of a session: sends a compound SR/RR + SDES every ~5 s (randomized, RFC 3550 §6.3.1)
 * on port + 1, reads the peer's reports for the round-trip time, and says BYE on close.
 */
import type dgram from 'node:dgram';
import type { Logger } from '../util/log';
import { buildCompound, ntpMiddle32, ntpNow, parseCompound, roundTripMs, rtcpIntervalMs, type ReportBlock } from './rtcp';
import type { ReceptionReport } from './rtp-receiver';

export interface RtcpReporterOptions {
  socket: dgram.Socket;
  ssrc: number;
  cname: string;
  log: Logger;
  intervalMs?: number;
  /** Whether RTCP from this address is the peer's; others are dropped and counted. Default: all are. */
  fromPeer?: (address: string) => boolean;
  /** The session's monotonic clock (its pacing clock's time source); default performance.now(). */
  now?: () => number;
}

export class RtcpReporter {
  private remote: { address: string; port: number } | null = null;
  private nextAtMs: number | null = null;
  /** The peer's last SR: its compact NTP time and when (our clock) it arrived, for LSR/DLSR. */
  private lastSr: { middle: number; atMs: number } | null = null;
  private sentRtp = false;
  rttMs: number | null = null;
  received = 0;
  /** Reports dropped because they came from elsewhere than the peer's media address. */
  foreign = 0;
  private readonly now: () => number;
  /**
   * Wall clock minus the monotonic clock, taken once: our NTP timestamps run on the monotonic clock from
   * there, so a step of the system clock in the middle of a call cannot bend the round-trip times.
   */
  private readonly wallOffsetMs: number;

  constructor(private readonly opts: RtcpReporterOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.wallOffsetMs = Date.now() - this.now();
    opts.socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    opts.socket.on('error', (err) => opts.log.debug(`RTCP socket error: ${err.message}`));
  }

  setRemote(address: string, port: number): void {
    this.remote = { address, port };
  }

  /** Sends a report when one is due; `report` is called only then, since it advances the A.3 counters. */
  maybeSend(nowMs: number, report: () => ReceptionReport | null, sender: { rtpTimestamp: number; packetCount: number; octetCount: number }): void {
    const interval = this.opts.intervalMs ?? 5000;
    // The first report goes after half an interval (§6.2), not at once: the call has barely started.
    this.nextAtMs ??= nowMs + interval / 2;
    if (nowMs < this.nextAtMs || !this.remote) return;
    this.nextAtMs = nowMs + rtcpIntervalMs(interval);
    this.sentRtp ||= sender.packetCount > 0;
    this.send(
      buildCompound({
        ssrc: this.opts.ssrc,
        cname: this.opts.cname,
        sender: this.sentRtp ? { ntp: ntpNow(this.wallNow()), ...sender } : undefined,
        reports: this.blocks(report()),
      }),
    );
  }

  async close(last: ReceptionReport | null): Promise<void> {
    if (this.remote) this.send(buildCompound({ ssrc: this.opts.ssrc, cname: this.opts.cname, reports: this.blocks(last), bye: true }));
    await new Promise<void>((resolve) => this.opts.socket.close(() => resolve()));
  }

  private wallNow(): number {
    return this.wallOffsetMs + this.now();
  }

  private blocks(r: ReceptionReport | null): ReportBlock[] {
    if (!r) return [];
    const now = this.now();
    const lastSr = this.lastSr?.middle ?? 0;
    const delaySinceLastSr = this.lastSr ? Math.round(((now - this.lastSr.atMs) / 1000) * 65536) : 0;
    return [{ ...r, lastSr, delaySinceLastSr }];
  }

  private send(wire: Uint8Array): void {
    const { address, port } = this.remote!;
    this.opts.socket.send(wire, port, address, (err) => {
      if (err) this.opts.log.debug(`RTCP send to ${address}:${port} failed: ${err.message}`);
    });
  }

  private onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    // A stranger's reports would move our RTCP to it and feed it our statistics: dropped before parsing.
    if (this.opts.fromPeer && !this.opts.fromPeer(rinfo.address)) {
      if (this.foreign++ === 0) this.opts.log.warn(`dropping RTCP from ${rinfo.address}:${rinfo.port}: not the call's media source`);
      return;
    }
    let packets;
    try {
      packets = parseCompound(msg);
    } catch (err) {
      this.opts.log.debug(`RTCP from ${rinfo.address}:${rinfo.port} ignored: ${(err as Error).message}`);
      return;
    }
    this.received++;
    // Symmetric RTCP, as for RTP: answer where the reports come from.
    this.remote = { address: rinfo.address, port: rinfo.port };
    for (const p of packets) {
      if (p.type === 'sr') this.lastSr = { middle: ntpMiddle32(p.sender.ntp), atMs: this.now() };
      if (p.type === 'sr' || p.type === 'rr') {
        const mine = p.reports.find((b) => b.ssrc === this.opts.ssrc);
        const rtt = mine ? roundTripMs(mine, this.wallNow()) : null;
        if (rtt !== null && rtt < 60_000) this.rttMs = rtt;
      }
    }
  }
}
