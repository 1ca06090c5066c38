import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait';
import { setLogLevel } from '../util/log';
import { MediaEngine, type MediaSessionHandle } from './media-engine';
import { parseSdp, SdpError } from './sdp';
import { OfferAnswerState, RtpSessionDescriptionHandler, type RtpSdhConfig } from './session-description-handler';

setLogLevel('warn');

describe('RtpSessionDescriptionHandler', () => {
  let engine: MediaEngine;
  beforeAll(async () => {
    engine = await MediaEngine.start();
  });
  afterAll(async () => {
    await engine.stop();
  });

  const make = (over: Partial<RtpSdhConfig> = {}, media?: (m: MediaSessionHandle) => void): RtpSessionDescriptionHandler =>
    new RtpSessionDescriptionHandler({ engine, advertisedAddress: '127.0.0.1', codecs: ['G722', 'PCMU'], onMedia: media, ...over });

  it('runs offer/answer, carries audio, holds and resumes by re-INVITE, and sends DTMF', async () => {
    let uacMedia: MediaSessionHandle | null = null;
    let uasMedia: MediaSessionHandle | null = null;
    const uac = make({}, (m) => (uacMedia = m));
    const uas = make({ codecs: ['PCMU', 'G722'] }, (m) => (uasMedia = m));
    expect(uac.hasDescription('application/sdp; charset=utf-8')).toBe(true);
    expect(uac.hasDescription('text/plain')).toBe(false);

    const offer = await uac.getDescription();
    expect(uac.state).toBe(OfferAnswerState.HaveLocalOffer);
    expect(offer.contentType).toBe('application/sdp');
    await uas.setDescription(offer.body);
    expect(uas.state).toBe(OfferAnswerState.HaveRemoteOffer);
    const answer = await uas.getDescription();
    await uac.setDescription(answer.body);
    expect([uac.state, uas.state]).toEqual([OfferAnswerState.Stable, OfferAnswerState.Stable]);
    // The answerer's line prefers PCMU and the offer had it: both sides use PCMU.
    expect(uac.negotiated?.codec).toBe('PCMU');
    expect(uas.negotiated?.codec).toBe('PCMU');

    // Audio from the UAC's phone arrives at the UAS: one 500 Hz frame pushed for every frame the UAS
    // puts out (one per tick of its worker), so the worker's clock paces the sender.
    const got: Int16Array[] = [];
    let pushed = 0;
    uasMedia!.on('pcm', (f) => {
      got.push(f);
      const i = pushed++;
      uacMedia!.pushPcm(new Int16Array(320).map((_, n) => Math.round(6000 * Math.sin((2 * Math.PI * 500 * (i * 320 + n)) / 16000))));
    });
    await waitFor('the tone at the UAS', () => got.some((f) => f.some((s) => Math.abs(s) > 2000)));

    // DTMF through the negotiated telephone-event.
    const digits: string[] = [];
    uasMedia!.on('dtmf', (d) => digits.push(d.digit));
    expect(uac.sendDtmf('42')).toBe(true);
    expect(uac.sendDtmf('x')).toBe(false);
    await waitFor('two digits at the UAS', () => digits.length >= 2);
    expect(digits.join('')).toBe('42');

    // Hold (RFC 6337): re-offer sendonly, the peer answers recvonly; the o= version goes up.
    const hold = await uac.getDescription({ hold: true });
    expect(hold.body).toContain('a=sendonly');
    const v1 = parseSdp(offer.body).origin.version;
    expect(Number(parseSdp(hold.body).origin.version)).toBe(Number(v1) + 1);
    await uas.setDescription(hold.body);
    const holdAnswer = await uas.getDescription();
    expect(holdAnswer.body).toContain('a=recvonly');
    await uac.setDescription(holdAnswer.body);
    expect(uac.negotiated?.direction).toBe('sendonly');
    expect(uas.negotiated?.direction).toBe('recvonly');

    // Resume.
    const resume = await uac.getDescription({ hold: false });
    expect(resume.body).toContain('a=sendrecv');
    await uas.setDescription(resume.body);
    await uac.setDescription((await uas.getDescription()).body);
    expect([uac.negotiated?.direction, uas.negotiated?.direction]).toEqual(['sendrecv', 'sendrecv']);

    uac.close();
    uas.close();
    await expect(uac.getDescription()).rejects.toThrow(/after the session description handler was closed/);
  });

  it('rejects an offer without a common codec at setDescription (sip.js answers 488)', async () => {
    const pcmaOnly = make({ codecs: ['PCMA'] });
    const offer = await pcmaOnly.getDescription();
    const uas = make();
    const err = await uas.setDescription(offer.body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdpError);
    expect((err as SdpError).statusCode).toBe(488);
    expect((err as Error).message).toBe('no common codec: offered PCMA, line allows G722,PCMU');
    pcmaOnly.close();
    uas.close();
  });
});

describe('createRtpSdhFactory', () => {
  it('makes one handler per sip.js session, tagged with the session id', async () => {
    const { createRtpSdhFactory } = await import('./session-description-handler');
    const engine = await MediaEngine.start();
    const factory = createRtpSdhFactory({ engine, advertisedAddress: '127.0.0.1', codecs: ['G722'] });
    const a = factory({ id: 'call-a' } as never);
    const b = factory({ id: 'call-b' } as never);
    expect(a).toBeInstanceOf(RtpSessionDescriptionHandler);
    expect(a).not.toBe(b);
    const offer = await a.getDescription();
    expect(offer.body).toContain('m=audio');
    a.close();
    b.close();
    await engine.stop();
  });
});
