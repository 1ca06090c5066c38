import { describe, expect, it } from 'vitest';
import { acceptAnswer, complementDirection, createAnswer, createOffer, parseSdp, SdpError, type LocalAudioConfig, type MediaDirection } from './sdp';

const line = (over: Partial<LocalAudioConfig> = {}): LocalAudioConfig => ({
  address: '192.0.2.10', port: 40000, codecs: ['G722', 'PCMU'], direction: 'sendrecv', sessionId: '1234', sessionVersion: 1, ...over,
});

/** An offer as a PBX writes it: several codecs, telephone-event 101, LF endings, session-level c=. */
function pbxOffer(formats: string, extra = ''): string {
  return [
    'v=0', 'o=asterisk 99 99 IN IP4 198.51.100.5', 's=Asterisk', 'c=IN IP4 198.51.100.5', 't=0 0',
    `m=audio 10000 RTP/AVP ${formats} 101`,
    'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:9 G722/8000', 'a=rtpmap:18 G729/8000',
    'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv', extra,
  ].join('\n');
}

describe('SDP offer/answer', () => {
  it('offers the line codecs in preference order with telephone-event and ptime 20', () => {
    const sdp = createOffer(line({ codecs: ['PCMU', 'G722', 'PCMA'] }));
    expect(sdp).toContain('m=audio 40000 RTP/AVP 0 9 8 101\r\n');
    expect(sdp).toContain('a=rtpmap:9 G722/8000\r\n');
    expect(sdp).toContain('a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n');
    expect(sdp).toContain('c=IN IP4 192.0.2.10\r\n');
    expect(sdp).toContain('a=ptime:20\r\na=sendrecv\r\n');
    const parsed = parseSdp(sdp);
    expect(parsed.media[0]).toMatchObject({ port: 40000, formats: ['0', '9', '8', '101'], address: '192.0.2.10', ptime: 20, direction: 'sendrecv' });
  });

  const matrix: Array<[string, LocalAudioConfig['codecs'], string | null]> = [
    ['0 8 9', ['G722', 'PCMU'], 'G722'],
    ['0 8 9', ['PCMU', 'G722'], 'PCMU'],
    ['8 0', ['G722', 'PCMU'], 'PCMU'],
    ['8', ['PCMA'], 'PCMA'],
    ['18 8', ['G722', 'PCMU'], null],
  ];
  it.each(matrix)('offer %s to a line allowing %j answers %s', (formats, codecs, expected) => {
    const offer = parseSdp(pbxOffer(formats));
    if (expected === null) {
      expect(() => createAnswer(offer, line({ codecs }))).toThrow(new SdpError('no common codec: offered G729/8000,PCMA, line allows G722,PCMU', 488));
      return;
    }
    const { sdp, negotiated } = createAnswer(offer, line({ codecs }));
    expect(negotiated).toMatchObject({ codec: expected, telephoneEventPt: 101, remoteAddress: '198.51.100.5', remotePort: 10000, remoteRtcpPort: 10001, direction: 'sendrecv' });
    const answer = parseSdp(sdp);
    expect(answer.media[0]!.formats).toEqual([String(negotiated.payloadType), '101']);
    // The offerer reads our answer back to the same codec.
    expect(acceptAnswer(answer, line({ codecs: ['PCMA', 'PCMU', 'G722'] })).codec).toBe(expected);
  });

  it('maps the 488 case to a SIP status and the exact message from the brief', () => {
    const offer = parseSdp(pbxOffer('8').replace(/a=rtpmap:9.*\n|a=rtpmap:18.*\n/g, ''));
    try {
      createAnswer(offer, line());
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SdpError);
      expect((err as SdpError).statusCode).toBe(488);
      expect((err as Error).message).toBe('no common codec: offered PCMA, line allows G722,PCMU');
    }
  });

  it('refuses video and extra streams with port 0 and keeps the m-line count', () => {
    const text = [
      'v=0', 'o=- 1 1 IN IP4 198.51.100.5', 's=-', 't=0 0',
      'm=video 5000 RTP/AVP 96', 'c=IN IP4 198.51.100.5', 'a=rtpmap:96 H264/90000',
      'm=audio 6000 RTP/SAVP 0', 'c=IN IP4 198.51.100.5',
      'm=audio 7000 RTP/AVP 9 0', 'c=IN IP4 198.51.100.6', 'a=rtcp:7005', 'a=recvonly',
    ].join('\r\n');
    const { sdp, negotiated } = createAnswer(parseSdp(text), line());
    const answer = parseSdp(sdp);
    expect(answer.media.map((m) => [m.media, m.port, m.proto])).toEqual([['video', 0, 'RTP/AVP'], ['audio', 0, 'RTP/SAVP'], ['audio', 40000, 'RTP/AVP']]);
    expect(negotiated).toMatchObject({ codec: 'G722', remoteAddress: '198.51.100.6', remotePort: 7000, remoteRtcpPort: 7005, telephoneEventPt: null, direction: 'sendonly' });
    expect(answer.media[2]!.direction).toBe('sendonly');
  });

  it('explains an offer without audio and rejects a body that is not SDP', () => {
    expect(() => createAnswer(parseSdp('v=0\r\nm=video 5000 RTP/AVP 96\r\n'), line())).toThrow(/no usable audio stream in the offer \(streams: video RTP\/AVP\)/);
    expect(() => parseSdp('hello')).toThrow(SdpError);
    expect(() => parseSdp('v=0\r\nm=audio x RTP/AVP 0')).toThrow(/malformed m= line/);
  });

  const holdCases: Array<[MediaDirection, MediaDirection, MediaDirection]> = [
    // [remote offers, we want, we answer]
    ['sendonly', 'sendrecv', 'recvonly'], // they hold us
    ['inactive', 'sendrecv', 'inactive'],
    ['recvonly', 'sendrecv', 'sendonly'],
    ['sendrecv', 'sendrecv', 'sendrecv'], // resume
    ['sendrecv', 'sendonly', 'sendonly'], // we hold them
    ['sendonly', 'sendonly', 'inactive'], // both hold
  ];
  it.each(holdCases)('hold/resume: offer %s, line wants %s, answer %s', (offered, wanted, answered) => {
    const offer = parseSdp(pbxOffer('0').replace('a=sendrecv', `a=${offered}`));
    const { sdp, negotiated } = createAnswer(offer, line({ direction: wanted }));
    expect(negotiated.direction).toBe(answered);
    expect(parseSdp(sdp).media[0]!.direction).toBe(answered);
    expect(complementDirection(offered, wanted)).toBe(answered);
  });

  it('reads a held answer to our hold re-offer, and c=0.0.0.0 as legacy hold', () => {
    const reoffer = line({ direction: 'sendonly', sessionVersion: 2 });
    expect(createOffer(reoffer)).toContain('a=sendonly');
    const answer = parseSdp(pbxOffer('9').replace('a=sendrecv', 'a=recvonly'));
    expect(acceptAnswer(answer, reoffer).direction).toBe('sendonly');
    const legacy = parseSdp(pbxOffer('0').replace(/c=IN IP4 198.51.100.5/, 'c=IN IP4 0.0.0.0'));
    expect(createAnswer(legacy, line()).negotiated.direction).toBe('recvonly');
  });
});
