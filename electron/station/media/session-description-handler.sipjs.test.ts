/**
 * The handler inside real sip.js 0.21 user agents: an INVITE with our offer, the answer, hold and resume
 * by re-INVITE, and a 488 for an offer without a common codec. The two agents talk through an in-memory
 * pair of sip.js transports (the SIP transports are the sip/ module's concern; RTP is real UDP).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmitterImpl, Invitation, Inviter, SessionState, TransportState, UserAgent, type Session, type Transport } from 'sip.js';
import type { CodecName } from '../../../native-audio/codecs/index';
import { waitFor } from '../../../test/support/wait';
import { setLogLevel } from '../util/log';
import { MediaEngine, type MediaSessionHandle } from './media-engine';
import { createRtpSdhFactory, offerRejection, RtpSessionDescriptionHandler } from './session-description-handler';

setLogLevel('warn');

const wires = new Map<string, (message: string) => void>();

/** A transport that hands every message to the other agent of its pair ('a' <-> 'b'). */
class PairTransport implements Transport {
  state = TransportState.Disconnected;
  readonly stateChange = new EmitterImpl<TransportState>();
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  private readonly side: string;
  protocol = 'UDP';

  constructor(_logger: unknown, options: { side: string }) {
    this.side = options.side;
    wires.set(this.side, (m) => this.onMessage?.(m));
  }
  async connect(): Promise<void> {
    this.state = TransportState.Connected;
    this.stateChange.emit(this.state);
    this.onConnect?.();
  }
  async disconnect(): Promise<void> {
    this.state = TransportState.Disconnected;
    this.stateChange.emit(this.state);
  }
  async dispose(): Promise<void> {
    await this.disconnect();
  }
  isConnected(): boolean {
    return this.state === TransportState.Connected;
  }
  async send(message: string): Promise<void> {
    const peer = wires.get(this.side === 'a' ? 'b' : 'a');
    setImmediate(() => peer?.(message));
  }
}

describe('RtpSessionDescriptionHandler in sip.js user agents', () => {
  let engine: MediaEngine;
  const media: Record<string, MediaSessionHandle> = {};
  let ua: Record<'a' | 'b', UserAgent>;
  let lineB: CodecName[] = ['PCMU', 'G722'];

  beforeAll(async () => {
    engine = await MediaEngine.start();
    const make = (side: 'a' | 'b', codecs: () => CodecName[]): UserAgent =>
      new UserAgent({
        uri: UserAgent.makeURI(`sip:${side}@127.0.0.1`),
        viaHost: '127.0.0.1',
        transportConstructor: PairTransport,
        transportOptions: { side },
        logLevel: 'error',
        logBuiltinEnabled: false,
        // Each agent reads its line's codecs at call time, so one test can change them.
        sessionDescriptionHandlerFactory: (session: Session, options?: object) =>
          createRtpSdhFactory({ engine, advertisedAddress: '127.0.0.1', codecs: codecs(), onMedia: (m) => (media[side] = m) })(session, options),
      });
    ua = { a: make('a', () => ['G722', 'PCMU']), b: make('b', () => lineB) };
    ua.b.delegate = {
      onInvite: (inv: Invitation) => {
        // What the call layer does: refuse a hopeless offer with 488 before accept() would send 480.
        const rejection = offerRejection(inv.body, lineB);
        void (rejection ? inv.reject(rejection) : inv.accept());
      },
    };
    await Promise.all([ua.a.start(), ua.b.start()]);
  });
  afterAll(async () => {
    await Promise.all([ua.a.stop(), ua.b.stop()]);
    await engine.stop();
  });

  it('establishes a call, carries RTP, holds and resumes by re-INVITE', async () => {
    lineB = ['PCMU', 'G722'];
    const inviter = new Inviter(ua.a, UserAgent.makeURI('sip:b@127.0.0.1')!);
    await inviter.invite();
    await waitFor('the call established', () => inviter.state === SessionState.Established);
    const sdh = inviter.sessionDescriptionHandler as RtpSessionDescriptionHandler;
    expect(sdh.negotiated).toMatchObject({ codec: 'PCMU', direction: 'sendrecv', telephoneEventPt: 101 });

    await waitFor('RTP from A at B', async () => {
      await engine.pullStats();
      return (media.b?.stats?.packetsReceived ?? 0) > 5;
    });

    let settled = false;
    await inviter.invite({ sessionDescriptionHandlerOptions: { hold: true } as object, requestDelegate: { onAccept: () => (settled = true) } });
    await waitFor('the re-INVITE accepted', () => settled);
    expect(sdh.negotiated?.direction).toBe('sendonly');

    settled = false;
    await inviter.invite({ sessionDescriptionHandlerOptions: { hold: false } as object, requestDelegate: { onAccept: () => (settled = true) } });
    await waitFor('the re-INVITE accepted', () => settled);
    expect(sdh.negotiated?.direction).toBe('sendrecv');
    expect(inviter.sessionDescriptionHandler!.sendDtmf('1')).toBe(true);

    await inviter.bye();
    await waitFor('the call terminated', () => inviter.state === SessionState.Terminated);
  });

  it('answers 488 (via offerRejection) when the line allows none of the offered codecs', async () => {
    lineB = ['PCMA'];
    let status = 0;
    const inviter = new Inviter(ua.a, UserAgent.makeURI('sip:b@127.0.0.1')!);
    await inviter.invite({ requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
    await waitFor('the call terminated', () => inviter.state === SessionState.Terminated);
    expect(status).toBe(488);
  });
});
