/**
 * A sip.js SessionDescriptionHandler for plain RTP, backed by a MediaEngine session in a media worker.
 * sip.js ships only a WebRTC handler; a UserAgent takes this one through
 * `UserAgentOptions.sessionDescriptionHandlerFactory` (see {@link createRtpSdhFactory}).
 *
 * It runs the RFC 3264 offer/answer state machine for one audio stream:
 *
 *   stable --getDescription()--> have-local-offer --setDescription(answer)--> stable
 *   stable --setDescription(offer)--> have-remote-offer --getDescription()--> stable (answer sent)
 *   any --close()--> closed
 *
 * Hold and resume (RFC 6337 §5) are re-INVITEs: sip.js passes `{ hold: true }` in the handler options
 * (`session.invite({ sessionDescriptionHandlerOptions: { hold: true } })`), which makes our offers and
 * answers `sendonly` until an offer with `hold: false` resumes the call.
 *
 * A remote offer that fails negotiation rejects `setDescription`. For a re-INVITE sip.js then answers
 * 488, but for an initial INVITE `Invitation.accept()` answers 480 whatever the error (0.21,
 * handleResponseError): so check the offer first with {@link offerRejection} and reject with 488 yourself.
 */
import type {
  BodyAndContentType,
  Session,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerModifier,
  SessionDescriptionHandlerOptions,
} from 'sip.js';
import type { CodecName } from '../../../native-audio/codecs/index';
import { createLogger, type Logger } from '../util/log';
import type { MediaEngine, MediaSessionHandle } from './media-engine';
import type { PortRange } from './udp-port-pair';
import { acceptAnswer, createAnswer, createOffer, parseSdp, SdpError, type LocalAudioConfig, type NegotiatedAudio, type SdpSession } from './sdp';

export enum OfferAnswerState {
  Stable = 'stable',
  HaveLocalOffer = 'have-local-offer',
  HaveRemoteOffer = 'have-remote-offer',
  Closed = 'closed',
}

export interface RtpSdhOptions extends SessionDescriptionHandlerOptions {
  /** True puts the peer on hold (our direction sendonly), false resumes; absent keeps the current state. */
  hold?: boolean;
}

export interface RtpSdhConfig {
  engine: MediaEngine;
  /** The address the PBX should send RTP to (c= line). */
  advertisedAddress: string;
  bindAddress?: string;
  portRange?: PortRange;
  /** The PBX's media addresses besides what its SDP names, allowed to latch symmetric RTP. */
  trustedSources?: readonly string[];
  /** The line's codecs, most preferred first. */
  codecs: readonly CodecName[];
  telephoneEventPt?: number;
  log?: Logger;
  /** Called once per call when its media session exists, so the call layer can wire PCM to the phone. */
  onMedia?: (media: MediaSessionHandle, handler: RtpSessionDescriptionHandler) => void;
}

export class RtpSessionDescriptionHandler implements SessionDescriptionHandler {
  state = OfferAnswerState.Stable;
  /** The last negotiation result, null before the first completed exchange. */
  negotiated: NegotiatedAudio | null = null;
  private mediaPromise: Promise<MediaSessionHandle> | null = null;
  private remoteOffer: SdpSession | null = null;
  private localOffer: LocalAudioConfig | null = null;
  private held = false;
  private readonly sessionId = String(Math.floor(Math.random() * 1e9));
  private version = 0;
  private lastBody = '';
  private readonly log: Logger;

  constructor(
    private readonly config: RtpSdhConfig,
    tag = 'call',
  ) {
    this.log = (config.log ?? createLogger('sdh')).child({ call: tag });
  }

  /** The call's media session (created on first use). */
  media(): Promise<MediaSessionHandle> {
    this.mediaPromise ??= this.config.engine
      .createSession({ bindAddress: this.config.bindAddress, portRange: this.config.portRange, trustedSources: this.config.trustedSources })
      .then((m) => {
        this.config.onMedia?.(m, this);
        return m;
      });
    return this.mediaPromise;
  }

  hasDescription(contentType: string): boolean {
    return contentType.split(';')[0]!.trim().toLowerCase() === 'application/sdp';
  }

  async getDescription(options?: RtpSdhOptions, modifiers?: SessionDescriptionHandlerModifier[]): Promise<BodyAndContentType> {
    this.assertOpen('getDescription');
    if (options?.hold !== undefined) this.held = options.hold;
    const media = await this.media();
    this.assertOpen('getDescription');
    if (this.state === OfferAnswerState.HaveRemoteOffer && this.remoteOffer) {
      const { sdp, negotiated } = createAnswer(this.remoteOffer, this.localConfig(media.localPort));
      await this.apply(media, negotiated);
      this.remoteOffer = null;
      this.state = OfferAnswerState.Stable;
      return this.body(await modify('answer', sdp, modifiers));
    }
    const cfg = this.localConfig(media.localPort);
    const sdp = createOffer(cfg);
    this.localOffer = cfg;
    this.state = OfferAnswerState.HaveLocalOffer;
    return this.body(await modify('offer', sdp, modifiers));
  }

  async setDescription(sdp: string, options?: RtpSdhOptions, modifiers?: SessionDescriptionHandlerModifier[]): Promise<void> {
    this.assertOpen('setDescription');
    if (options?.hold !== undefined) this.held = options.hold;
    const type = this.state === OfferAnswerState.HaveLocalOffer ? 'answer' : 'offer';
    const parsed = parseSdp(await modify(type, sdp, modifiers));
    const media = await this.media();
    if (this.state === OfferAnswerState.HaveLocalOffer && this.localOffer) {
      const negotiated = acceptAnswer(parsed, this.localOffer);
      await this.apply(media, negotiated);
      this.localOffer = null;
      this.state = OfferAnswerState.Stable;
      return;
    }
    // An offer: check now that we can answer it, so a hopeless offer is refused with 488 at once.
    createAnswer(parsed, this.localConfig(media.localPort));
    this.remoteOffer = parsed;
    this.state = OfferAnswerState.HaveRemoteOffer;
  }

  async rollbackDescription(): Promise<void> {
    if (this.state === OfferAnswerState.Closed) return;
    this.localOffer = null;
    this.remoteOffer = null;
    this.state = OfferAnswerState.Stable;
  }

  /** RFC 4733 digits through the media session; false when telephone-event was not negotiated. */
  sendDtmf(tones: string): boolean {
    if (this.state === OfferAnswerState.Closed || this.negotiated?.telephoneEventPt == null || !/^[0-9*#A-D]+$/i.test(tones)) return false;
    void this.media()
      .then((m) => m.sendDtmf(tones))
      .catch((err: Error) => this.log.warn(`DTMF '${tones}' not sent: ${err.message}`));
    return true;
  }

  close(): void {
    if (this.state === OfferAnswerState.Closed) return;
    this.state = OfferAnswerState.Closed;
    void this.mediaPromise?.then((m) => m.destroy()).catch((err: Error) => this.log.warn(`media session not released: ${err.message}`));
  }

  private assertOpen(what: string): void {
    if (this.state === OfferAnswerState.Closed) throw new Error(`${what} after the session description handler was closed`);
  }

  private localConfig(port: number): LocalAudioConfig {
    return {
      address: this.config.advertisedAddress,
      port,
      codecs: this.config.codecs,
      telephoneEventPt: this.config.telephoneEventPt,
      direction: this.held ? 'sendonly' : 'sendrecv',
      sessionId: this.sessionId,
      sessionVersion: this.version,
    };
  }

  /** RFC 3264 §8: the o= version goes up exactly when the description changes. */
  private body(sdp: string): BodyAndContentType {
    const withoutOrigin = sdp.replace(/^o=.*$/m, '');
    if (this.lastBody && withoutOrigin !== this.lastBody) {
      this.version++;
      sdp = sdp.replace(/^(o=\S+ \S+ )\d+/m, `$1${this.version}`);
    }
    this.lastBody = withoutOrigin;
    return { body: sdp, contentType: 'application/sdp' };
  }

  private async apply(media: MediaSessionHandle, negotiated: NegotiatedAudio): Promise<void> {
    this.negotiated = negotiated;
    await media.configure(negotiated);
  }
}

/**
 * Why an initial INVITE's offer cannot be answered on a line with these codecs, as the SIP response to
 * send (`invitation.reject(rejection)`), or null when it can. An INVITE without a body is fine: we offer.
 */
export function offerRejection(body: string | undefined, codecs: readonly CodecName[]): { statusCode: number; reasonPhrase: string } | null {
  if (!body) return null;
  try {
    createAnswer(parseSdp(body), { address: '0.0.0.0', port: 9, codecs, direction: 'sendrecv', sessionId: '0', sessionVersion: 0 });
    return null;
  } catch (err) {
    if (err instanceof SdpError) return { statusCode: err.statusCode, reasonPhrase: err.statusCode === 488 ? 'Not Acceptable Here' : 'Bad Request' };
    throw err;
  }
}

/** Runs sip.js's one-time description modifiers (they work on WebRTC-shaped `{ type, sdp }` objects). */
async function modify(type: 'offer' | 'answer', sdp: string, modifiers: SessionDescriptionHandlerModifier[] = []): Promise<string> {
  let description = { type, sdp };
  for (const m of modifiers) description = (await m(description)) as typeof description;
  return description.sdp;
}

/**
 * The factory for `UserAgentOptions.sessionDescriptionHandlerFactory`: one handler per call, each
 * with its own media session in the engine.
 */
export function createRtpSdhFactory(config: RtpSdhConfig): SessionDescriptionHandlerFactory {
  return (session: Session) => new RtpSessionDescriptionHandler(config, session.id);
}
