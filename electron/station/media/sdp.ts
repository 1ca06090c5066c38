/**
 * SDP for one audio stream: parse ({@link https://www.rfc-editor.org/rfc/rfc4566 | RFC 4566}), build, and
 * the offer/answer rules of {@link https://www.rfc-editor.org/rfc/rfc3264 | RFC 3264}.
 *
 * The station speaks plain RTP/AVP audio with G.722 (PT 9, clock 8000 per RFC 3551 §4.5.2), PCMU (0),
 * PCMA (8) and telephone-event (RFC 4733, dynamic PT, events 0-15), 20 ms packets. Each line has its
 * own codec preference order; the answer carries exactly one codec (the line's most preferred one
 * that was offered) so both directions use the same codec.
 *
 * Hold and resume follow RFC 6337 §5: the holding side offers `sendonly` (or `inactive` when it is itself
 * held), resume offers `sendrecv`; the answerer mirrors the direction (RFC 3264 §6.1). The legacy hold
 * form `c=0.0.0.0` (RFC 2543) is read as "the peer does not want media".
 *
 * Failures throw {@link SdpError}; `statusCode` is the SIP response the caller should send (488 for
 * "nothing acceptable", 400 for an unparseable body).
 */

import { CODECS, type CodecName } from '../../../native-audio/codecs/index';

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpRtpMap {
  encoding: string;
  clockRate: number;
  channels: number;
}

export interface SdpMedia {
  media: string;
  port: number;
  proto: string;
  /** Format tokens as written (payload types for RTP). */
  formats: string[];
  /** Media-level c= address, else the session-level one; null when neither exists. */
  address: string | null;
  rtpmaps: Map<number, SdpRtpMap>;
  fmtps: Map<number, string>;
  ptime: number | null;
  direction: MediaDirection;
  /** RFC 3605 a=rtcp port, else null (port + 1). */
  rtcpPort: number | null;
}

export interface SdpSession {
  origin: { username: string; sessionId: string; version: string; address: string };
  sessionName: string;
  media: SdpMedia[];
}

export class SdpError extends Error {
  constructor(
    message: string,
    /** The SIP response for this failure. */
    readonly statusCode: 400 | 488,
  ) {
    super(message);
    this.name = 'SdpError';
  }
}

export interface LocalAudioConfig {
  /** The address we advertise in c= and o= (what the peer should send RTP to). */
  address: string;
  port: number;
  /** This line's codecs, most preferred first. */
  codecs: readonly CodecName[];
  /** Payload type for telephone-event in our offers (answers echo the offerer's). */
  telephoneEventPt?: number;
  ptime?: number;
  /** What we want: sendrecv normally, sendonly to hold, inactive to hold while held. */
  direction: MediaDirection;
  sessionId: string;
  sessionVersion: number;
}

export interface NegotiatedAudio {
  codec: CodecName;
  payloadType: number;
  telephoneEventPt: number | null;
  remoteAddress: string;
  remotePort: number;
  remoteRtcpPort: number;
  /** What we may do on this stream after the exchange. */
  direction: MediaDirection;
  ptime: number;
}

const DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];
const DEFAULT_TE_PT = 101;

const flags = (d: MediaDirection): { send: boolean; recv: boolean } => ({ send: d === 'sendrecv' || d === 'sendonly', recv: d === 'sendrecv' || d === 'recvonly' });
const direction = (send: boolean, recv: boolean): MediaDirection => (send ? (recv ? 'sendrecv' : 'sendonly') : recv ? 'recvonly' : 'inactive');

/** Our direction given the peer's and what we want: we send only if they receive, and vice versa. */
export function complementDirection(peer: MediaDirection, wanted: MediaDirection): MediaDirection {
  const p = flags(peer);
  const w = flags(wanted);
  return direction(w.send && p.recv, w.recv && p.send);
}

function isNullAddress(address: string | null): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** Parses an SDP body; tolerant of CRLF or LF, unknown lines and attribute order. */
export function parseSdp(text: string): SdpSession {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (!lines[0]?.startsWith('v=')) throw new SdpError('SDP does not start with v=', 400);
  const session: SdpSession = { origin: { username: '-', sessionId: '0', version: '0', address: '' }, sessionName: '', media: [] };
  let sessionAddress: string | null = null;
  let sessionDirection: MediaDirection = 'sendrecv';
  let current: SdpMedia | null = null;
  lines.forEach((line, index) => {
    const type = line[0];
    const value = line.slice(2);
    if (line[1] !== '=') throw new SdpError(`SDP line ${index + 1} is not type=value: '${line.slice(0, 40)}'`, 400);
    if (type === 'm') {
      const [media, portSpec, proto, ...formats] = value.split(/\s+/);
      const port = Number.parseInt(portSpec ?? '', 10);
      if (!media || !proto || !Number.isInteger(port) || port < 0 || port > 65535) throw new SdpError(`SDP line ${index + 1}: malformed m= line '${value}'`, 400);
      current = { media, port, proto, formats, address: null, rtpmaps: new Map(), fmtps: new Map(), ptime: null, direction: sessionDirection, rtcpPort: null };
      session.media.push(current);
    } else if (type === 'o') {
      const [username = '-', sessionId = '0', version = '0', , , address = ''] = value.split(/\s+/);
      session.origin = { username, sessionId, version, address };
    } else if (type === 's') session.sessionName = value;
    else if (type === 'c') {
      const address = value.split(/\s+/)[2]?.split('/')[0] ?? null;
      if (current) (current as SdpMedia).address = address;
      else sessionAddress = address;
    } else if (type === 'a') {
      const colon = value.indexOf(':');
      const name = colon < 0 ? value : value.slice(0, colon);
      const arg = colon < 0 ? '' : value.slice(colon + 1);
      if (DIRECTIONS.includes(name as MediaDirection)) {
        if (current) (current as SdpMedia).direction = name as MediaDirection;
        else sessionDirection = name as MediaDirection;
      } else if (current) parseMediaAttribute(current, name, arg);
    }
  });
  for (const m of session.media) m.address ??= sessionAddress;
  return session;
}

function parseMediaAttribute(m: SdpMedia, name: string, arg: string): void {
  if (name === 'rtpmap') {
    const match = /^(\d+)\s+([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(arg);
    if (match) m.rtpmaps.set(Number(match[1]), { encoding: match[2]!, clockRate: Number(match[3]), channels: Number(match[4] ?? 1) });
  } else if (name === 'fmtp') {
    const match = /^(\d+)\s+(.*)$/.exec(arg);
    if (match) m.fmtps.set(Number(match[1]), match[2]!);
  } else if (name === 'ptime') {
    const ptime = Number.parseInt(arg, 10);
    if (ptime > 0) m.ptime = ptime;
  } else if (name === 'rtcp') {
    const port = Number.parseInt(arg, 10);
    if (port > 0 && port < 65536) m.rtcpPort = port;
  }
}

/** What a format token means to us: one of our codecs, telephone-event, or something else (by name). */
function classify(m: SdpMedia, fmt: string): { codec?: CodecName; telephoneEvent?: boolean; name: string } {
  const pt = Number(fmt);
  const map = m.rtpmaps.get(pt);
  if (map) {
    const name = map.encoding.toUpperCase();
    if (name === 'TELEPHONE-EVENT' && map.clockRate === 8000) return { telephoneEvent: true, name: map.encoding };
    const codec = (Object.keys(CODECS) as CodecName[]).find((c) => c === name && CODECS[c].rtpClockRate === map.clockRate);
    return codec ? { codec, name: codec } : { name: `${map.encoding}/${map.clockRate}` };
  }
  // Static payload types need no rtpmap (RFC 3551 table 4).
  const codec = (Object.keys(CODECS) as CodecName[]).find((c) => CODECS[c].payloadType === pt && pt < 96);
  return codec ? { codec, name: codec } : { name: `PT ${fmt}` };
}

function addressType(address: string): string {
  return address.includes(':') ? 'IP6' : 'IP4';
}

function sessionHeader(cfg: LocalAudioConfig): string[] {
  const at = `IN ${addressType(cfg.address)} ${cfg.address}`;
  return ['v=0', `o=sip2wa ${cfg.sessionId} ${cfg.sessionVersion} ${at}`, 's=sip2wa', `c=${at}`, 't=0 0'];
}

function audioLines(cfg: LocalAudioConfig, codecs: Array<{ pt: number; name: CodecName }>, tePt: number | null): string[] {
  const formats = [...codecs.map((c) => c.pt), ...(tePt === null ? [] : [tePt])];
  return [
    `m=audio ${cfg.port} RTP/AVP ${formats.join(' ')}`,
    ...codecs.map((c) => `a=rtpmap:${c.pt} ${c.name}/${CODECS[c.name].rtpClockRate}`),
    ...(tePt === null ? [] : [`a=rtpmap:${tePt} telephone-event/8000`, `a=fmtp:${tePt} 0-15`]),
    `a=ptime:${cfg.ptime ?? 20}`,
    `a=${cfg.direction}`,
  ];
}

const body = (lines: string[]): string => lines.join('\r\n') + '\r\n';

/** Our offer: every codec of the line in preference order, plus telephone-event. */
export function createOffer(cfg: LocalAudioConfig): string {
  if (!cfg.codecs.length) throw new SdpError('the line allows no codec, so there is nothing to offer', 488);
  const codecs = cfg.codecs.map((name) => ({ pt: CODECS[name].payloadType, name }));
  return body([...sessionHeader(cfg), ...audioLines(cfg, codecs, cfg.telephoneEventPt ?? DEFAULT_TE_PT)]);
}

function usableAudio(m: SdpMedia): boolean {
  return m.media === 'audio' && m.port !== 0 && /^RTP\/AVPF?$/i.test(m.proto);
}

function negotiated(m: SdpMedia, codec: CodecName, payloadType: number, tePt: number | null, ours: MediaDirection): NegotiatedAudio {
  if (!m.address) throw new SdpError('the audio stream has no connection address (c=)', 488);
  // c=0.0.0.0: the peer takes no media, whatever its direction attribute says.
  const peer = isNullAddress(m.address) ? direction(flags(m.direction).send, false) : m.direction;
  return {
    codec,
    payloadType,
    telephoneEventPt: tePt,
    remoteAddress: m.address,
    remotePort: m.port,
    remoteRtcpPort: m.rtcpPort ?? m.port + 1,
    direction: complementDirection(peer, ours),
    ptime: m.ptime ?? 20,
  };
}

/**
 * Answers an offer: the first usable audio stream gets the line's most preferred offered codec; every
 * other m-line is refused with port 0 (RFC 3264 §6). Throws a 488 SdpError that names what was offered
 * and what the line allows when nothing matches.
 */
export function createAnswer(offer: SdpSession, cfg: LocalAudioConfig): { sdp: string; negotiated: NegotiatedAudio } {
  const index = offer.media.findIndex(usableAudio);
  if (index < 0) {
    const seen = offer.media.map((m) => `${m.media} ${m.proto}${m.port === 0 ? ' (port 0)' : ''}`).join(', ') || 'none';
    throw new SdpError(`no usable audio stream in the offer (streams: ${seen})`, 488);
  }
  const m = offer.media[index]!;
  const offered = m.formats.map((f) => ({ fmt: f, ...classify(m, f) }));
  const choice = cfg.codecs.map((name) => offered.find((o) => o.codec === name)).find((o) => o !== undefined);
  if (!choice?.codec) {
    const names = offered.filter((o) => !o.telephoneEvent).map((o) => o.name);
    throw new SdpError(`no common codec: offered ${names.join(',') || 'nothing'}, line allows ${cfg.codecs.join(',')}`, 488);
  }
  const te = offered.find((o) => o.telephoneEvent);
  const tePt = te ? Number(te.fmt) : null;
  const result = negotiated(m, choice.codec, Number(choice.fmt), tePt, cfg.direction);
  const ours: LocalAudioConfig = { ...cfg, direction: result.direction, ptime: m.ptime ?? cfg.ptime ?? 20 };
  const lines = [...sessionHeader(ours)];
  offer.media.forEach((other, i) => {
    if (i === index) lines.push(...audioLines(ours, [{ pt: Number(choice.fmt), name: choice.codec! }], tePt));
    else lines.push(`m=${other.media} 0 ${other.proto} ${other.formats[0] ?? '0'}`);
  });
  return { sdp: body(lines), negotiated: result };
}

/** Reads the answer to our offer (made from `cfg`): the codec is the first in the answer that we offered. */
export function acceptAnswer(answer: SdpSession, cfg: LocalAudioConfig): NegotiatedAudio {
  const m = answer.media.find(usableAudio);
  if (!m) throw new SdpError('the answer refused the audio stream (no audio m-line with a port)', 488);
  const offered = m.formats.map((f) => ({ fmt: f, ...classify(m, f) }));
  const choice = offered.find((o) => o.codec && cfg.codecs.includes(o.codec));
  if (!choice?.codec) {
    throw new SdpError(`no common codec: answered ${offered.map((o) => o.name).join(',') || 'nothing'}, line allows ${cfg.codecs.join(',')}`, 488);
  }
  const te = offered.find((o) => o.telephoneEvent);
  return negotiated(m, choice.codec, Number(choice.fmt), te ? Number(te.fmt) : null, cfg.direction);
}
