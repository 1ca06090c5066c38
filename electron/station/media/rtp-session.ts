/**
 * One call's RTP stream: a UDP socket pair, the receive pipeline to 16 kHz PCM for the phone and the
 * send pipeline from the phone's PCM to RTP.
 *
 * ```
 *  UDP -> parse -> RtpReceiver (A.1/A.8) -> JitterBuffer -> decode | conceal -> resample -> 20 ms PCM -> onPcm
 *  pushPcm -> uplink queue -> resample -> encode -> RTP (paced by the PacingClock) -> UDP
 *                               DTMF (RFC 4733) both ways, RTCP SR/RR on port + 1
 *  decoded PCM (codec rate) -> in-band DTMF detector -> the same digits as RFC 4733 (which wins when negotiated)
 * ```
 *
 * Symmetric RTP (RFC 4961): we send to the address in the SDP until the first valid packet arrives, then
 * to wherever the peer's packets come from, which is what gets audio through a NAT in front of the PBX.
 * Only a packet from the SDP's address (or the PBX's media addresses) latches, early in the call; RTP
 * and RTCP from anyone else are dropped and counted (rtp-source-latch.ts), so a stranger can neither
 * inject audio into a call nor divert it.
 *
 * Session states:
 *
 *   open (bound, no remote) --configure()--> active --close()--> closed
 *                                              ^--configure() (re-INVITE: hold, codec)--/
 */
import type dgram from 'node:dgram';
import { CODECS, RTP_FRAMING, type AudioCodec, type FrameDecoder, type FrameEncoder } from '../../../native-audio/codecs/index';
import { createResampler } from '../../../native-audio/resampler';
import { createLogger, type Logger } from '../util/log';
import { AudioLevel } from './audio-level';
import { InbandDtmf } from './dtmf-inband';
import { DtmfReceiver, DtmfSender } from './dtmf-rfc4733';
import { JitterBuffer } from './jitter-buffer';
import { RtcpReporter } from './rtcp-reporter';
import { parseRtp, serializeRtp } from './rtp-packet';
import { PT_COMFORT_NOISE, RtpReceiver } from './rtp-receiver';
import type { MediaDirection, NegotiatedAudio } from './sdp';
import { bindPortPair } from './udp-port-pair';
import { RtpSourceLatch, type MediaSource } from './rtp-source-latch';
import { RtpSessionState, type RtpSessionOptions, type RtpSessionStats } from './rtp-session-types';

/** Samples in one 20 ms frame of the agent's 16 kHz PCM. */
export const PCM_FRAME_SAMPLES = 320;
export { RtpSessionState, type RtpSessionOptions, type RtpSessionStats } from './rtp-session-types';
const UPLINK_QUEUE_FRAMES = 5;
/** Ticks over which an uplink queue that never emptied is cut back (see drainUplink). */
const UPLINK_DRAIN_TICKS = 50;

interface Pipeline {
  n: NegotiatedAudio;
  codec: AudioCodec;
  encoder: FrameEncoder;
  decoder: FrameDecoder;
  up: { process(input: Int16Array): Int16Array } | null;
  down: { process(input: Int16Array): Int16Array } | null;
  inband: InbandDtmf;
}

export class RtpSession {
  state = RtpSessionState.Open;
  private pipe: Pipeline | null = null;
  private readonly latch: RtpSourceLatch;
  /** What the last answer or re-INVITE named, to tell a move of the media from a hold. */
  private sdpRemote: MediaSource | null = null;
  private readonly receiver = new RtpReceiver({ clockRate: RTP_FRAMING.rtpClockRate });
  // No minimum delay: a packet plays at the first tick at least 4 ms after it arrives, and the buffer
  // grows by a frame only when a packet comes too late for its tick (station-added latency budget: p50 25 ms).
  private jb = new JitterBuffer({ frameTicks: RTP_FRAMING.frameTicks, minDelayFrames: 0, guardMs: 4 });
  private dtmfIn = new DtmfReceiver();
  private readonly dtmfOut = new DtmfSender();
  private readonly uplink: Int16Array[] = [];
  private uplinkStarted = false;
  private uplinkDrain = { ticks: 0, minDepth: Infinity };
  private readonly ssrc = (Math.random() * 2 ** 32) >>> 0;
  private seq = Math.floor(Math.random() * 0x10000);
  private timestamp = (Math.random() * 2 ** 32) >>> 0;
  private firstPacket = true;
  private readonly levelIn = new AudioLevel();
  private readonly levelOut = new AudioLevel();
  private readonly rtcp: RtcpReporter;
  private readonly counters = { packetsSent: 0, bytesSent: 0, packetsReceived: 0, bytesReceived: 0, uplinkOverruns: 0, uplinkUnderruns: 0, dtmfSent: 0, dtmfReceived: 0 };
  private readonly rejected: RtpSessionStats['rejected'] = {};
  private readonly stopTicking: () => void;
  private readonly log: Logger;

  private constructor(
    private readonly opts: RtpSessionOptions,
    private readonly rtpSocket: dgram.Socket,
    rtcpSocket: dgram.Socket,
    readonly localPort: number,
  ) {
    this.log = (opts.log ?? createLogger('rtp')).child({ session: opts.id });
    // Every time the session reads is its clock's, so arrivals compare with the ticks' grid times.
    const now = () => opts.clock.now();
    this.latch = new RtpSourceLatch({ trustedAddresses: opts.trustedSources, windowMs: opts.latchWindowMs, now });
    this.rtcp = new RtcpReporter({
      socket: rtcpSocket,
      ssrc: this.ssrc,
      cname: opts.cname ?? `${opts.id}@sip2wa`,
      log: this.log,
      intervalMs: opts.rtcpIntervalMs,
      // RTCP is the peer's when it comes from the peer's media address (RFC 3550 section 8.2).
      fromPeer: (address) => this.rtcpFromPeer(address),
      now,
    });
    rtpSocket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    rtpSocket.on('error', (err) => this.log.warn(`RTP socket error on port ${localPort}: ${err.message}`));
    this.stopTicking = opts.clock.add((now) => this.tick(now));
  }

  /** Binds the socket pair and starts ticking; media flows once `configure` names the peer and codec. */
  static async open(opts: RtpSessionOptions): Promise<RtpSession> {
    const pair = await bindPortPair(opts.bindAddress ?? '127.0.0.1', opts.portRange ?? { min: 40000, max: 49999 });
    return new RtpSession(opts, pair.rtp, pair.rtcp, pair.port);
  }

  /** Applies a negotiation result (first answer or a re-INVITE); keeps codec state when the codec stays. */
  configure(n: NegotiatedAudio): void {
    if (this.state === RtpSessionState.Closed) throw new Error(`RTP session ${this.opts.id} is closed`);
    const codec = CODECS[n.codec];
    const wasSending = this.pipe ? directionSend(this.pipe.n.direction) : false;
    if (!this.pipe || this.pipe.codec !== codec) {
      this.pipe = {
        n,
        codec,
        encoder: codec.createEncoder(),
        decoder: codec.createDecoder(),
        up: codec.sampleRate === 16000 ? null : createResampler(codec.sampleRate, 16000),
        down: codec.sampleRate === 16000 ? null : createResampler(16000, codec.sampleRate),
        inband: this.createInbandDtmf(codec.sampleRate, n.telephoneEventPt !== null),
      };
      this.jb.reset();
    } else {
      if ((this.pipe.n.telephoneEventPt !== null) !== (n.telephoneEventPt !== null)) {
        this.pipe.inband = this.createInbandDtmf(codec.sampleRate, n.telephoneEventPt !== null);
      }
      this.pipe.n = n;
    }
    // Resuming from hold starts a new talkspurt: its first packet carries the marker (RFC 3551 §4.1).
    if (!wasSending && directionSend(n.direction)) this.firstPacket = true;
    const sdpRemote = { address: n.remoteAddress, port: n.remotePort };
    // An answer, or a re-INVITE that moves the media elsewhere, starts a new latch; a hold keeps it.
    if (!this.latch.latched || this.sdpRemote?.address !== sdpRemote.address || this.sdpRemote.port !== sdpRemote.port) this.latch.reset(sdpRemote);
    this.sdpRemote = sdpRemote;
    this.rtcp.setRemote(n.remoteAddress, n.remoteRtcpPort);
    this.state = RtpSessionState.Active;
    this.log.info(`configured ${n.codec}/${n.payloadType} ${n.direction} to ${n.remoteAddress}:${n.remotePort}`);
  }

  /** One 20 ms frame of 16 kHz PCM from the phone; sent on the next tick. */
  pushPcm(frame: Int16Array): void {
    if (frame.length !== PCM_FRAME_SAMPLES) throw new RangeError(`PCM frame of ${frame.length} samples, expected ${PCM_FRAME_SAMPLES} (20 ms at 16 kHz)`);
    this.uplinkStarted = true;
    this.uplink.push(frame);
    if (this.uplink.length > UPLINK_QUEUE_FRAMES) {
      this.uplink.shift();
      this.counters.uplinkOverruns++;
    }
  }

  /** Queues RFC 4733 digits; false when the peer did not negotiate telephone-event. */
  sendDtmf(digits: string): boolean {
    if (this.pipe?.n.telephoneEventPt == null) return false;
    this.dtmfOut.enqueue(digits);
    return true;
  }

  stats(): RtpSessionStats {
    const r = this.receiver.stats();
    const j = this.jb.stats();
    const c = this.counters;
    return {
      id: this.opts.id,
      state: this.state,
      codec: this.pipe?.codec.name ?? null,
      direction: this.pipe?.n.direction ?? 'inactive',
      localPort: this.localPort,
      remote: this.latch.remote ? `${this.latch.remote.address}:${this.latch.remote.port}` : null,
      foreignPackets: this.latch.foreign,
      foreignRtcp: this.rtcp.foreign,
      packetsSent: c.packetsSent,
      bytesSent: c.bytesSent,
      packetsReceived: c.packetsReceived,
      bytesReceived: c.bytesReceived,
      lost: r.lost,
      duplicates: r.duplicates,
      jitterMs: r.jitterMs,
      jitterBufferMs: j.targetDelayMs,
      late: j.late,
      discarded: j.discarded,
      concealed: j.concealed,
      overruns: j.overruns + c.uplinkOverruns,
      underruns: j.underruns + c.uplinkUnderruns,
      rejected: { ...this.rejected },
      dtmfSent: c.dtmfSent,
      dtmfReceived: c.dtmfReceived,
      levelInDbfs: this.levelIn.dbfs,
      levelOutDbfs: this.levelOut.dbfs,
      rttMs: this.rtcp.rttMs,
      rtcpReceived: this.rtcp.received,
    };
  }

  /** The pipeline in words, for the operator's "why is there no audio" view. */
  describe(): string {
    const p = this.pipe;
    if (!p) return `rtp ${this.opts.id} ${this.state} on port ${this.localPort}, not negotiated`;
    const rs = (r: unknown, from: number, to: number): string => (r ? ` -> resample ${from / 1000}->${to / 1000} kHz` : '');
    const r = this.latch.remote;
    const remote = r ? `${r.address}:${r.port}${this.latch.latched ? ' (latched)' : ''}${this.latch.foreign ? `, ${this.latch.foreign} foreign packets dropped` : ''}` : '?';
    return [
      `rtp ${this.opts.id} ${this.state} ${p.n.direction}, port ${this.localPort} <-> ${remote}`,
      `  in:  udp -> rtp ${p.codec.name}/${p.n.payloadType} -> ${this.jb.describe()} -> decode ${p.codec.sampleRate / 1000} kHz${rs(p.up, p.codec.sampleRate, 16000)} -> pcm 16 kHz`,
      `  out: pcm 16 kHz (queue ${this.uplink.length}/${UPLINK_QUEUE_FRAMES})${rs(p.down, 16000, p.codec.sampleRate)} -> encode ${p.codec.name} -> rtp ssrc ${this.ssrc.toString(16)}`,
      `  dtmf: ${p.n.telephoneEventPt === null ? 'not negotiated' : `telephone-event/${p.n.telephoneEventPt}`}`,
    ].join('\n');
  }

  async close(): Promise<void> {
    if (this.state === RtpSessionState.Closed) return;
    this.state = RtpSessionState.Closed;
    this.stopTicking();
    await this.rtcp.close(this.receiver.takeReceptionReport());
    await new Promise<void>((resolve) => this.rtpSocket.close(() => resolve()));
  }

  /** The call's source in words, for the log line about a stranger. */
  private describeSource(): string {
    const r = this.latch.remote;
    return r ? `${this.latch.latched ? 'latched to' : 'the SDP names'} ${r.address}:${r.port}` : 'no peer yet';
  }

  private rtcpFromPeer(address: string): boolean {
    const plain = (a: string): string => a.replace(/^::ffff:/i, '');
    const peers = [this.latch.remote?.address, this.sdpRemote?.address, ...(this.opts.trustedSources ?? [])];
    return peers.some((p) => p !== undefined && plain(p) === plain(address));
  }

  private reject(reason: keyof RtpSessionStats['rejected']): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
  }

  private onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const { receiveLossRate = 0, random = Math.random } = this.opts;
    if (receiveLossRate > 0 && random() < receiveLossRate) return this.reject('impairment');
    const parsed = parseRtp(msg);
    if (!parsed.ok) return this.reject(parsed.reason);
    const p = parsed.packet;
    const pipe = this.pipe;
    if (!pipe || (p.payloadType !== pipe.n.payloadType && p.payloadType !== pipe.n.telephoneEventPt && p.payloadType !== PT_COMFORT_NOISE)) {
      return this.reject('unexpected-pt');
    }
    const before = this.latch.remote;
    const source = this.latch.check({ address: rinfo.address, port: rinfo.port });
    if (!source.accept) {
      if (source.firstFromSource) this.log.warn(`dropping RTP from ${rinfo.address}:${rinfo.port}: not the call's media source (${this.describeSource()})`);
      return this.reject('foreign-source');
    }
    if (source.latchedNow && (before?.address !== rinfo.address || before.port !== rinfo.port)) {
      this.log.info(`symmetric RTP: sending to ${rinfo.address}:${rinfo.port} where the peer's packets come from`);
    }
    this.counters.packetsReceived++;
    this.counters.bytesReceived += msg.length;
    const arrivalMs = this.opts.clock.now();
    const verdict = this.receiver.push(p, arrivalMs);
    if (verdict.ssrcChanged) {
      this.jb.reset();
      this.dtmfIn = new DtmfReceiver();
    }
    if (!verdict.accepted) return;
    if (p.payloadType === pipe.n.telephoneEventPt) {
      const digit = this.dtmfIn.push(p.timestamp, p.payload);
      if (digit) {
        pipe.inband.rfc4733(digit.digit);
        this.counters.dtmfReceived++;
        this.opts.onDtmf?.(digit);
      }
      return;
    }
    if (verdict.comfortNoise) {
      this.jb.push({ timestamp: p.timestamp, payloadType: p.payloadType, payload: p.payload, comfortNoise: true, arrivalMs });
      return;
    }
    // ptime 40/60 from a peer that ignored a=ptime:20: split into 20 ms frames so the buffer sees one grid.
    const { frameBytes, frameTicks } = pipe.codec;
    const frames = p.payload.length > frameBytes && p.payload.length % frameBytes === 0 ? p.payload.length / frameBytes : 1;
    for (let i = 0; i < frames; i++) {
      const payload = frames === 1 ? p.payload : p.payload.subarray(i * frameBytes, (i + 1) * frameBytes);
      this.jb.push({ timestamp: (p.timestamp + i * frameTicks) >>> 0, payloadType: p.payloadType, payload, arrivalMs });
    }
  }

  private tick(nowMs: number): void {
    const pipe = this.pipe;
    if (this.state !== RtpSessionState.Active || !pipe) return;
    this.playout(pipe, nowMs);
    this.send(pipe, nowMs);
    this.rtcp.maybeSend(nowMs, () => this.receiver.takeReceptionReport(), {
      rtpTimestamp: this.timestamp,
      packetCount: this.counters.packetsSent,
      octetCount: this.counters.bytesSent,
    });
  }

  private playout(pipe: Pipeline, nowMs: number): void {
    const frame = this.jb.pop(nowMs);
    const codecSamples = (pipe.codec.sampleRate / 1000) * 20;
    let pcm: Int16Array;
    if (frame.kind === 'audio') {
      pcm = pipe.decoder.decode(frame.payload);
      // Tones are looked for in what the PBX sent, at the codec's rate; concealment would only stretch them.
      pipe.inband.push(pcm, frame.timestamp, nowMs);
    } else {
      pcm = frame.kind === 'missing' ? pipe.decoder.conceal(codecSamples) : new Int16Array(codecSamples);
      pipe.inband.tick(nowMs);
    }
    if (pipe.up) pcm = pipe.up.process(pcm);
    if (frame.kind !== 'idle') this.levelIn.update(pcm);
    // The phone gets one frame every tick even on hold (silence then), so its side stays paced.
    this.opts.onPcm?.(directionRecv(pipe.n.direction) ? pcm : new Int16Array(PCM_FRAME_SAMPLES));
  }

  private send(pipe: Pipeline, nowMs: number): void {
    const timestamp = this.timestamp;
    // RTP timestamps advance with real time whether or not we send (RFC 3550 §5.1), so a resume after
    // hold or a DTMF event is not mistaken for a jump back in time.
    this.timestamp = (this.timestamp + pipe.codec.frameTicks) >>> 0;
    let pcm = this.uplink.shift();
    if (!pcm) {
      if (this.uplinkStarted) this.counters.uplinkUnderruns++;
      pcm = new Int16Array(PCM_FRAME_SAMPLES);
    }
    this.drainUplink();
    this.levelOut.update(pcm);
    if (!directionSend(pipe.n.direction) || !this.latch.remote) return;
    const te = pipe.n.telephoneEventPt;
    if (te !== null && (this.dtmfOut.busy || this.dtmfOut.pending)) {
      const events = this.dtmfOut.tick(nowMs, timestamp);
      for (const e of events) {
        this.transmit(te, e.timestamp, e.payload, e.marker);
        if (e.marker) this.counters.dtmfSent++;
      }
      if (this.dtmfOut.busy || events.length) return; // audio is held back while an event plays
    }
    const codecPcm = pipe.down ? pipe.down.process(pcm) : pcm;
    this.transmit(pipe.n.payloadType, timestamp, pipe.encoder.encode(codecPcm), this.firstPacket);
    this.firstPacket = false;
  }

  private createInbandDtmf(sampleRate: 8000 | 16000, preferRfc4733: boolean): InbandDtmf {
    return new InbandDtmf({
      sampleRate,
      preferRfc4733,
      onDigit: (digit) => {
        this.counters.dtmfReceived++;
        this.opts.onDtmf?.(digit);
      },
    });
  }

  /**
   * The phone's frames wait for the next tick, so the queue normally empties at every tick. A frame still
   * queued at every tick for a whole window (a burst when the call's audio starts, a phone clock running
   * fast) is pure delay that would otherwise stay for the rest of the call: drop it.
   */
  private drainUplink(): void {
    const d = this.uplinkDrain;
    d.minDepth = Math.min(d.minDepth, this.uplink.length);
    if (++d.ticks < UPLINK_DRAIN_TICKS) return;
    if (d.minDepth > 0) {
      this.uplink.splice(0, d.minDepth);
      this.counters.uplinkOverruns += d.minDepth;
    }
    this.uplinkDrain = { ticks: 0, minDepth: Infinity };
  }

  private transmit(payloadType: number, timestamp: number, payload: Uint8Array, marker: boolean): void {
    const wire = serializeRtp({ payloadType, sequenceNumber: this.seq, timestamp, ssrc: this.ssrc, payload, marker });
    this.seq = (this.seq + 1) & 0xffff;
    this.counters.packetsSent++;
    this.counters.bytesSent += wire.length;
    const { address, port } = this.latch.remote!;
    this.rtpSocket.send(wire, port, address, (err) => {
      if (err) this.log.debug(`RTP send to ${address}:${port} failed: ${err.message}`);
    });
  }
}

const directionSend = (d: MediaDirection): boolean => d === 'sendrecv' || d === 'sendonly';
const directionRecv = (d: MediaDirection): boolean => d === 'sendrecv' || d === 'recvonly';
