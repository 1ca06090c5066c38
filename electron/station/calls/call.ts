/**
 * One call on a line: its state, what the operator sees of it, and the audio bridge once media flows.
 * The two flows (sip-to-whatsapp.ts, whatsapp-to-sip.ts) drive it; it owns the parts both share:
 * following the phone's events for its call id, bridging media, and ending exactly once.
 */
import type { Session } from 'sip.js';
import type { AgentMessage } from '../../../phone-agent/protocol';
import type { AgentPort } from '../devices/agent-port';
import type { MediaSessionHandle } from '../media/media-engine';
import type { RtpSessionDescriptionHandler } from '../media/session-description-handler';
import { Emitter } from '../util/emitter';
import type { Logger } from '../util/log';
import type { DestinationSource } from './destination';
import { callMediaStats, type CallDirection, type CallState, type CallView, type HangupSide, type WhatsAppOutcome } from './call-state';
import { MediaBridge } from './media-bridge';

/** The phone end of a call: the line whose phone carries the WhatsApp call. */
export interface PhoneEnd {
  lineId: string;
  serial: string;
  /** The phone's WhatsApp account. */
  account: string | null;
  port: AgentPort;
  /** A fresh station-side call id for this phone (1..0x7FFFFFFF). */
  nextPhoneCallId(): number;
}

export type CallEvents = {
  change: [CallView];
  /** A message from the phone about this call (by call id). */
  phone: [AgentMessage];
  /** The phone carrying the call is gone (lines/phone-loss.ts): the call's flow ends the SIP side. */
  lost: [reason: string];
};

let nextCallNumber = 1;

export interface CallIds {
  /** The line whose SIP account carries the SIP leg. */
  sipLineId: string;
  /** SIP caller-ID for calls to WhatsApp; the WhatsApp number for calls from WhatsApp. */
  callerId: string;
  sipCallId?: string | null;
}

export class Call extends Emitter<CallEvents> {
  readonly id: string;
  state: CallState = 'routing';
  name = '';
  codec: string | null = null;
  readonly startedAt = new Date();
  /** When the WhatsApp side rang (post-dial delay = ringingAt - startedAt). */
  ringingAt: Date | null = null;
  /** When the call was connected end to end. */
  answeredAt: Date | null = null;
  /** When the WhatsApp side answered, if the PBX side was answered before (DTMF, echo). */
  whatsappAnsweredAt: Date | null = null;
  endedAt: Date | null = null;
  outcome: WhatsAppOutcome | null = null;
  sipCode: number | null = null;
  hangupSide: HangupSide | null = null;
  /** The policy rule that refused the call. */
  rule: string | null = null;
  /** Why the station ended the call, in words, when no rule did (the phone it lost). */
  endReason: string | null = null;
  destinationSource: DestinationSource | 'inbound' | null = null;
  /** DTMF digits the PBX side sent during the call (RFC 4733 or in-band). */
  dtmf = '';
  phone: PhoneEnd | null = null;
  phoneCallId = 0;
  readonly sipLineId: string;
  readonly callerId: string;
  sipCallId: string | null;
  private session: Session | null = null;
  private bridge: MediaBridge | null = null;
  private media: MediaSessionHandle | null = null;
  private offPort: (() => void) | null = null;

  constructor(
    public direction: CallDirection,
    public number: string,
    readonly log: Logger,
    ids: CallIds,
  ) {
    super();
    this.id = `c${Date.now().toString(36)}-${nextCallNumber++}`;
    this.sipLineId = ids.sipLineId;
    this.callerId = ids.callerId;
    this.sipCallId = ids.sipCallId ?? null;
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  /** True once audio flows between the SIP side and the phone (until the call ends). */
  get bridged(): boolean {
    return this.bridge !== null && !this.ended;
  }

  /** The phone audio's frames each way (carried in the media worker), null if the call never bridged. */
  get phoneAudioCounts(): MediaBridge['counts'] | null {
    return this.bridge?.counts ?? null;
  }

  /** Binds the call to the phone that carries it; `phoneCallId` defaults to a fresh station-side id. */
  attachPhone(phone: PhoneEnd, phoneCallId = phone.nextPhoneCallId()): void {
    this.phone = phone;
    this.phoneCallId = phoneCallId;
    this.offPort?.();
    this.offPort = phone.port.on('message', (m) => {
      if ('callId' in m && m.callId === this.phoneCallId) this.emit('phone', m);
    });
    this.emit('change', this.view());
  }

  dial(number: string): void {
    this.phone?.port.send({ type: 'dial', callId: this.phoneCallId, number });
  }

  /**
   * The operator ends the call: the phone hangs up and the call's flow ends the SIP side as it does when
   * WhatsApp hangs up; a call with no phone yet (DTMF entry, echo test) is ended on the SIP side.
   */
  hangUp(): boolean {
    if (this.ended) return false;
    this.hangupSide = 'station';
    if (this.phone && this.phoneCallId) {
      this.hangUpPhone();
      return true;
    }
    void this.session?.bye().catch(() => undefined);
    this.finish(this.answeredAt ? 'answered' : 'local-hangup', this.answeredAt ? 200 : 487, 'station');
    return true;
  }

  hangUpPhone(): void {
    if (this.phone && this.phoneCallId) this.phone.port.send({ type: 'hang-up', callId: this.phoneCallId });
  }

  /**
   * The phone that carries the call is gone (unplugged, or unreachable past the grace): the flow that
   * owns the SIP side ends it there and finishes the call. Nothing is sent to the phone: it cannot hear.
   */
  phoneLost(reason: string): void {
    if (this.ended) return;
    this.endReason ??= reason;
    this.log.warn(`call ${this.id} ${this.direction} ${this.number}: ${reason}: ending the call`);
    this.emit('lost', reason);
  }

  set(state: CallState): void {
    if (this.state === state || this.ended) return;
    this.state = state;
    if (state === 'connected') this.answeredAt ??= new Date();
    this.log.info(`call ${this.id} ${this.direction} ${this.number}: ${state}`);
    this.emit('change', this.view());
  }

  /** The SIP session whose media the call uses (for DTMF, hold and stats). */
  useSipSession(session: Session): void {
    this.session = session;
    const sdh = session.sessionDescriptionHandler as RtpSessionDescriptionHandler | undefined;
    this.codec = sdh?.negotiated?.codec ?? this.codec;
    if (!sdh || this.media) return;
    void sdh.media().then((media) => {
      if (this.media) return;
      this.media = media;
      media.on('dtmf', (d) => {
        this.dtmf += d.digit;
        this.log.info(`call ${this.id}: DTMF ${d.digit} from the PBX side`);
        this.emit('change', this.view());
      });
      // Live stats: the engine pulls them about once a second; each pull refreshes the call's view.
      media.on('stats', () => this.emit('change', this.view()));
    });
  }

  /** Starts carrying audio between the SIP session's media and the phone. */
  async bridgeMedia(session: Session): Promise<void> {
    const sdh = session.sessionDescriptionHandler as RtpSessionDescriptionHandler | undefined;
    if (!sdh || this.ended || !this.phone) return;
    this.useSipSession(session);
    const media = await sdh.media();
    this.codec = sdh.negotiated?.codec ?? null;
    if (this.ended || this.bridge) return;
    this.bridge = new MediaBridge(this.phone.port, media, this.phoneCallId, this.log);
    this.bridge.start();
    this.emit('change', this.view());
  }

  /** The negotiated media direction: `recvonly` while the PBX side holds the call. */
  get mediaDirection(): string | null {
    const sdh = this.session?.sessionDescriptionHandler as RtpSessionDescriptionHandler | undefined;
    return sdh?.negotiated?.direction ?? null;
  }

  /** Sends DTMF to the PBX side (RFC 4733 when negotiated). */
  sendDtmf(digits: string): boolean {
    const sdh = this.session?.sessionDescriptionHandler as RtpSessionDescriptionHandler | undefined;
    return this.state === 'connected' && !!sdh && sdh.sendDtmf(digits);
  }

  /** Ends the call once: records the outcome, stops the audio, and tells listeners. */
  finish(outcome: WhatsAppOutcome, sipCode: number | null, side: HangupSide): void {
    if (this.ended) return;
    this.outcome ??= outcome;
    this.sipCode ??= sipCode;
    this.hangupSide ??= side;
    this.endedAt = new Date();
    void this.bridge?.stop();
    this.offPort?.();
    this.set('ended');
  }

  view(): CallView {
    return {
      id: this.id,
      direction: this.direction,
      state: this.state,
      number: this.number,
      name: this.name,
      codec: this.codec,
      startedAt: this.startedAt.toISOString(),
      answeredAt: this.answeredAt?.toISOString() ?? null,
      endedAt: this.endedAt?.toISOString() ?? null,
      outcome: this.outcome,
      sipCode: this.sipCode,
      hangupSide: this.hangupSide,
      dtmf: this.dtmf,
      callerId: this.callerId,
      destinationSource: this.destinationSource,
      rule: this.rule,
      endReason: this.endReason,
      sipLineId: this.sipLineId,
      phoneLineId: this.phone?.lineId ?? null,
      ringingAt: this.ringingAt?.toISOString() ?? null,
      stats: this.media?.stats ? callMediaStats(this.media.stats) : null,
    };
  }
}
