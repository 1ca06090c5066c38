/**
 * One call on a line: its state, what the operator sees of it, and the audio bridge once media flows.
 * The flows (sip-to-whatsapp.ts, whatsapp-to-sip.ts, the operator's calls) drive it, its phone side
 * through a WhatsApp leg (whatsapp-leg.ts); it owns the parts they share: the states and their table
 * (call-state.ts), bridging media, and ending exactly once.
 */
import type { Session } from 'sip.js';
import type { IncomingResponse } from 'sip.js/lib/core/index.js';
import { sipTimers } from '../sip/sip-timers';
import type { AgentPort } from '../devices/agent-port';
import { CallMediaWatch, describeMediaAlarm, type MediaAlarm } from '../media/call-media-watch';
import type { MediaSessionHandle } from '../media/media-engine';
import type { RtpSessionDescriptionHandler } from '../media/session-description-handler';
import { Emitter } from '../util/emitter';
import type { Logger } from '../util/log';
import type { DestinationSource } from './destination';
import type { CallEndCause } from '../values';
import { callMediaStats, checkTransition, type CallDirection, type CallState, type CallView, type HangupSide, type WhatsAppOutcome } from './call-state';
import { MediaBridge } from './media-bridge';

/** What a call uses of its phone's agent port: its messages, its link's forward, and sending to it. */
export type PhonePort = Pick<AgentPort, 'on' | 'once' | 'send' | 'forward'>;

/** The phone end of a call: the line whose phone carries the WhatsApp call. */
export interface PhoneEnd {
  lineId: string;
  serial: string;
  /** The phone's WhatsApp account. */
  account: string | null;
  port: PhonePort;
  /** A fresh station-side call id for this phone (1..0x7FFFFFFF). */
  nextPhoneCallId(): number;
}

/** What the call needs of its WhatsApp leg (whatsapp-leg.ts) to hang it up. */
export interface PhoneLeg {
  /** The station ends the WhatsApp call: the phone hangs up, the call is `ending` until it confirms. */
  hangUp(): boolean;
  /** Hangs up on the phone without waiting for it: the call is being finished at once. */
  drop(): void;
}

export type CallEvents = {
  change: [CallView];
  /** The phone carrying the call is gone (lines/phone-loss.ts): the call's flow ends the SIP side. */
  lost: [reason: string];
  /**
   * The media watch saw something wrong on the connected call (media/call-media-watch.ts): one-way
   * audio (said on the line's events) or an RTP timeout (the flow ends the call), with it in words.
   */
  alarm: [alarm: MediaAlarm, text: string];
};

/** How a connected call's media is watched (media.rtpTimeoutS; 0 = no RTP timeout). */
export interface MediaWatchOptions {
  rtpTimeoutS: number;
}

let nextCallNumber = 1;

/** Milliseconds as seconds for the operator: 32 or 3.2. */
export function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

export interface CallIds {
  /** The line whose SIP account carries the SIP leg. */
  sipLineId: string;
  /** SIP caller-ID for calls to WhatsApp; the WhatsApp number for calls from WhatsApp. */
  callerId: string;
  sipCallId?: string | null;
  /** The caller's name: the SIP display name, or the WhatsApp caller's. */
  name?: string;
}

/**
 * The call's record and its states. What the flows learn is set through methods, so that every state
 * change passes the transition table of call-state.ts and the outcome is written once, at the end.
 */
export class Call extends Emitter<CallEvents> {
  readonly id: string;
  readonly name: string;
  codec: string | null = null;
  readonly startedAt = new Date();
  readonly sipLineId: string;
  readonly callerId: string;
  readonly sipCallId: string | null;
  /** DTMF digits the PBX side sent during the call (RFC 4733 or in-band). */
  dtmf = '';
  #state: CallState = 'routing';
  /** The state `ending` was entered from. */
  #endingFrom: CallState | null = null;
  #direction: CallDirection;
  #number: string;
  #destinationSource: DestinationSource | 'inbound' | null = null;
  #ringingAt: Date | null = null;
  #answeredAt: Date | null = null;
  #whatsappAnsweredAt: Date | null = null;
  #endedAt: Date | null = null;
  #outcome: WhatsAppOutcome | null = null;
  #sipCode: number | null = null;
  #hangupSide: HangupSide | null = null;
  #rule: string | null = null;
  #endReason: string | null = null;
  #endCause: CallEndCause | null = null;
  #billedUntil: Date | null = null;
  #watchOptions: MediaWatchOptions = { rtpTimeoutS: 0 };
  #watch: CallMediaWatch | null = null;
  #phone: PhoneEnd | null = null;
  #phoneCallId = 0;
  #leg: PhoneLeg | null = null;
  private session: Session | null = null;
  private bridge: MediaBridge | null = null;
  #bridgeStopped: Promise<void> = Promise.resolve();
  private media: MediaSessionHandle | null = null;

  constructor(
    direction: CallDirection,
    number: string,
    readonly log: Logger,
    ids: CallIds,
  ) {
    super();
    this.id = `c${Date.now().toString(36)}-${nextCallNumber++}`;
    this.#direction = direction;
    this.#number = number;
    this.sipLineId = ids.sipLineId;
    this.callerId = ids.callerId;
    this.sipCallId = ids.sipCallId ?? null;
    this.name = ids.name ?? '';
  }

  get state(): CallState {
    return this.#state;
  }
  get direction(): CallDirection {
    return this.#direction;
  }
  /** The WhatsApp side's number (international digits); empty until routed. */
  get number(): string {
    return this.#number;
  }
  get destinationSource(): DestinationSource | 'inbound' | null {
    return this.#destinationSource;
  }
  /** When the WhatsApp side rang (post-dial delay = ringingAt - startedAt). */
  get ringingAt(): Date | null {
    return this.#ringingAt;
  }
  /** When the call was connected end to end (or the PBX side answered, for DTMF and the echo test). */
  get answeredAt(): Date | null {
    return this.#answeredAt;
  }
  /** When the WhatsApp side answered, if the PBX side was answered before (DTMF, echo). */
  get whatsappAnsweredAt(): Date | null {
    return this.#whatsappAnsweredAt;
  }
  get endedAt(): Date | null {
    return this.#endedAt;
  }
  get outcome(): WhatsAppOutcome | null {
    return this.#outcome;
  }
  get sipCode(): number | null {
    return this.#sipCode;
  }
  /** Who ended the call. */
  get hangupSide(): HangupSide | null {
    return this.#hangupSide;
  }
  /** The policy rule that refused the call. */
  get rule(): string | null {
    return this.#rule;
  }
  /** Why the station ended the call, in words, when no rule did (the phone it lost, a hang-up it never confirmed). */
  get endReason(): string | null {
    return this.#endReason;
  }
  /** Why the call ended abnormally (no ACK, BYE refused, RTP timeout), or null. */
  get endCause(): CallEndCause | null {
    return this.#endCause;
  }
  /**
   * Where billing stops when it is before the end: the last RTP from the caller, for a call whose caller
   * was gone before the station could know it (no ACK, RTP timeout). Null: billed to the end.
   */
  get billedUntil(): Date | null {
    return this.#billedUntil;
  }
  /** When RTP last arrived from the PBX side while connected (null: never, or no media watched yet). */
  get lastRtpAt(): Date | null {
    const at = this.#watch?.lastRtpAt;
    return at == null ? null : new Date(at);
  }
  /** The phone that carries the call, once one does. */
  get phone(): PhoneEnd | null {
    return this.#phone;
  }
  /** The call's id on its phone (0 before a phone carries it). */
  get phoneCallId(): number {
    return this.#phoneCallId;
  }

  /** The phone side of the call (whatsapp-leg.ts), once a phone carries it. */
  get leg(): PhoneLeg | null {
    return this.#leg;
  }

  get ended(): boolean {
    return this.#state === 'ended';
  }

  /** Connected, or being hung up by the station after it was: the call was talking when it ends now. */
  get talking(): boolean {
    return this.#state === 'connected' || (this.#state === 'ending' && this.#endingFrom === 'connected');
  }

  /** True once audio flows between the SIP side and the phone (until the call ends). */
  get bridged(): boolean {
    return this.bridge !== null && !this.ended;
  }

  /**
   * Records the bridged call's audio (both sides, one stereo WAV, media/call-recording.ts) to `file` until
   * the call ends. False when there is nothing to record (no bridge, or the call has ended); rejects when
   * the file cannot be made.
   */
  async recordAudio(file: string): Promise<boolean> {
    if (!this.bridge || this.ended) return false;
    await this.bridge.record(file);
    return true;
  }

  /** Resolves once the ended call's audio has stopped and its recording (if any) is closed. */
  audioStopped(): Promise<MediaBridge['recorded']> {
    return this.#bridgeStopped.then(() => this.bridge?.recorded ?? null);
  }

  /** The phone audio's frames each way (carried in the media worker), null if the call never bridged. */
  get phoneAudioCounts(): MediaBridge['counts'] | null {
    return this.bridge?.counts ?? null;
  }

  /** A PBX call to the test prefix is the station's echo test, not a call to WhatsApp. */
  setDirection(direction: CallDirection): void {
    this.#direction = direction;
    this.emit('change', this.view());
  }

  /** The WhatsApp number the call goes to and how it was found (null: no valid destination). */
  setDestination(number: string, source: DestinationSource | 'inbound' | null): void {
    this.#number = number;
    this.#destinationSource = source;
    this.emit('change', this.view());
  }

  /** The policy rule that refused the call (its outcome is `filtered`, given to finish). */
  setRule(rule: string): void {
    this.#rule = rule;
  }

  /** Why the station ended the call, in words, for the record (kept when a reason was given before). */
  setEndReason(reason: string): void {
    this.#endReason ??= reason;
  }

  /** How the connected call's media is watched; set by the flow before the call connects. */
  watchMedia(options: MediaWatchOptions): void {
    this.#watchOptions = options;
  }

  /**
   * The call ended, or is ending, abnormally: `cause` and `reason` go to the record (a reason given
   * before is kept) and billing stops at `billedUntil` when given. A cause learnt after the call ended
   * (a BYE refused after the station hung up) is told to listeners as a change of the ended call.
   */
  endAbnormally(cause: CallEndCause, reason: string, billedUntil: Date | null = null): void {
    if (this.#endCause) return;
    this.#endCause = cause;
    this.setEndReason(reason);
    this.#billedUntil = billedUntil;
    this.log.warn(`call ${this.id} ${this.direction} ${this.number}: ${reason}`);
    if (this.ended) this.emit('change', this.view());
  }

  /** The PBX's final response to the station's INVITE (WhatsApp -> SIP), kept for the record. */
  setSipCode(code: number | null): void {
    this.#sipCode = code;
  }

  /** The WhatsApp side answered a call whose PBX side was answered before (DTMF collection). */
  whatsappAnswered(): void {
    this.#whatsappAnsweredAt ??= new Date();
  }

  /** Binds the call to the phone that carries it, and the leg that drives the phone (whatsapp-leg.ts). */
  attachPhone(phone: PhoneEnd, phoneCallId: number, leg: PhoneLeg): void {
    this.#phone = phone;
    this.#phoneCallId = phoneCallId;
    this.#leg = leg;
    this.emit('change', this.view());
  }

  /**
   * The operator ends the call: the phone hangs up and the call's flow ends the SIP side as it does when
   * WhatsApp hangs up; a call with no phone yet (DTMF entry, echo test) is ended on the SIP side.
   */
  hangUp(): boolean {
    if (this.ended) return false;
    if (this.#leg) return this.#leg.hangUp();
    if (this.session) this.sendBye(this.session);
    this.finish(this.#answeredAt ? 'answered' : 'local-hangup', this.#answeredAt ? 200 : 487, 'station');
    return true;
  }

  /**
   * The phone that carries the call is gone (unplugged, or unreachable past the grace): the flow that
   * owns the SIP side ends it there and finishes the call. Nothing is sent to the phone: it cannot hear.
   */
  phoneLost(reason: string): void {
    if (this.ended) return;
    this.setEndReason(reason);
    this.log.warn(`call ${this.id} ${this.direction} ${this.number}: ${reason}: ending the call`);
    this.emit('lost', reason);
  }

  /**
   * Moves the call to `state`; staying in the same state changes nothing. A transition the table in
   * call-state.ts does not allow throws naming both states (ended calls take no other state).
   */
  set(state: CallState): void {
    if (this.#state === state) return;
    checkTransition(this.#state, state);
    if (state === 'ending') this.#endingFrom = this.#state;
    this.#state = state;
    if (state === 'ringing') this.#ringingAt ??= new Date();
    if (state === 'connected') this.#answeredAt ??= new Date();
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
      media.on('stats', (s) => {
        if (this.state === 'connected') this.watchSample(s);
        this.emit('change', this.view());
      });
    });
  }

  private watchSample(s: NonNullable<MediaSessionHandle['stats']>): void {
    // Watched from the first sample of the connected call: ringing and routing carry no RTP.
    this.#watch ??= new CallMediaWatch({ rtpTimeoutMs: this.#watchOptions.rtpTimeoutS * 1000 });
    const alarms = this.#watch.sample({ at: Date.now(), packetsReceived: s.packetsReceived, direction: s.direction, levelInDbfs: s.levelInDbfs, levelOutDbfs: s.levelOutDbfs });
    // Said by whoever acts on it: the flow ending the call, the line's events for one-way audio.
    for (const alarm of alarms) this.emit('alarm', alarm, describeMediaAlarm(alarm));
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

  /**
   * Hangs up the SIP side with a BYE. A BYE the PBX refuses, or never answers within 64*T1 (sip.js then
   * reports an internal 408), is the call's end cause: the PBX may still think the call is up.
   */
  sendBye(session: Session, extraHeaders: string[] = []): void {
    const refused = (response: IncomingResponse): void => {
      const { statusCode, reasonPhrase } = response.message;
      const what =
        statusCode === 408
          ? `the PBX did not answer the station's BYE within ${seconds(64 * sipTimers.T1)} s`
          : `the PBX refused the station's BYE with ${statusCode} ${reasonPhrase}`;
      this.endAbnormally('bye-refused', `${what}: check Record-Route / NAT on the PBX`);
    };
    void session
      .bye({ requestOptions: { extraHeaders }, requestDelegate: { onReject: refused } })
      .catch((err: Error) => this.log.debug(`BYE for call ${this.id} failed: ${err.message}`));
  }

  /** Sends DTMF to the PBX side (RFC 4733 when negotiated). */
  sendDtmf(digits: string): boolean {
    const sdh = this.session?.sessionDescriptionHandler as RtpSessionDescriptionHandler | undefined;
    return this.state === 'connected' && !!sdh && sdh.sendDtmf(digits);
  }

  /** Ends the call once: records the outcome, stops the audio, and tells listeners. */
  finish(outcome: WhatsAppOutcome, sipCode: number | null, side: HangupSide): void {
    if (this.ended) return;
    this.#outcome ??= outcome;
    this.#sipCode ??= sipCode;
    this.#hangupSide ??= side;
    this.#endedAt = new Date();
    this.#bridgeStopped = this.bridge?.stop() ?? Promise.resolve();
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
      endCause: this.endCause,
      sipLineId: this.sipLineId,
      phoneLineId: this.phone?.lineId ?? null,
      ringingAt: this.ringingAt?.toISOString() ?? null,
      stats: this.media?.stats ? callMediaStats(this.media.stats) : null,
    };
  }
}
