/**
 * One call on a line: its state, what the operator sees of it, and the audio bridge once media flows.
 * The two flows (sip-to-whatsapp.ts, whatsapp-to-sip.ts) drive it; it owns the parts both share:
 * following the phone's events for its call id, bridging media, and ending exactly once.
 */
import type { Session } from 'sip.js';
import type { AgentMessage } from '../../../phone-agent/protocol';
import type { AgentPort } from '../lines/agent-port';
import type { RtpSessionDescriptionHandler } from '../media/session-description-handler';
import { Emitter } from '../util/emitter';
import type { Logger } from '../util/log';
import type { CallDirection, CallState, CallView, HangupSide, WhatsAppOutcome } from './call-state';
import { MediaBridge } from './media-bridge';

export type CallEvents = {
  change: [CallView];
  /** A message from the phone about this call (by call id). */
  phone: [AgentMessage];
};

let nextCallNumber = 1;

export class Call extends Emitter<CallEvents> {
  readonly id: string;
  state: CallState = 'routing';
  name = '';
  codec: string | null = null;
  readonly startedAt = new Date();
  answeredAt: Date | null = null;
  endedAt: Date | null = null;
  outcome: WhatsAppOutcome | null = null;
  sipCode: number | null = null;
  hangupSide: HangupSide | null = null;
  /** DTMF digits the PBX side sent during the call (RFC 4733 or in-band). */
  dtmf = '';
  private session: Session | null = null;
  private bridge: MediaBridge | null = null;
  private readonly offPort: () => void;

  constructor(
    readonly direction: CallDirection,
    public number: string,
    /** The id the phone knows this call by. */
    readonly phoneCallId: number,
    readonly port: AgentPort,
    readonly log: Logger,
  ) {
    super();
    this.id = `c${Date.now().toString(36)}-${nextCallNumber++}`;
    this.offPort = port.on('message', (m) => {
      if ('callId' in m && m.callId === this.phoneCallId) this.emit('phone', m);
    });
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  set(state: CallState): void {
    if (this.state === state || this.ended) return;
    this.state = state;
    if (state === 'connected') this.answeredAt = new Date();
    this.log.info(`call ${this.id} ${this.direction} ${this.number}: ${state}`);
    this.emit('change', this.view());
  }

  /** Starts carrying audio between the SIP session's media and the phone. */
  async bridgeMedia(session: Session): Promise<void> {
    const sdh = session.sessionDescriptionHandler as RtpSessionDescriptionHandler | undefined;
    if (!sdh || this.ended) return;
    const media = await sdh.media();
    this.codec = sdh.negotiated?.codec ?? null;
    if (this.ended) return;
    this.session = session;
    media.on('dtmf', (d) => {
      this.dtmf += d.digit;
      this.log.info(`call ${this.id}: DTMF ${d.digit} from the PBX side`);
      this.emit('change', this.view());
    });
    this.bridge = new MediaBridge(this.port, media, this.phoneCallId);
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
    this.bridge?.stop();
    this.bridge = null;
    this.offPort();
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
    };
  }
}
