/**
 * Random and mutated SIP requests in the families of the RFC 4475 torture tests, from a seeded PRNG so
 * that a failing run is reproduced by its seed and index. Each message starts from a well-formed request
 * (several methods, in and out of dialog) and gets zero to three mutations: forms RFC 4475 section
 * 3.1.1 calls valid but odd (compact forms, folding, escapes, unusual whitespace, token methods, long
 * values) and invalid ones of sections 3.1.2 and 3.3 (duplicates, mismatched CSeq, bad Content-Length,
 * bare LF, unknown schemes and versions, Require, Accept), plus truncation, byte flips and noise.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4475#section-3
 */

export interface FuzzTarget {
  /** Request-URI user (a line) and where the station listens. */
  user: string;
  host: string;
  port: number;
  /** The sender's own `host:port`, for Via and Contact. */
  sentBy: string;
  /** No INVITE (a fuzz from the PBX's address, where an INVITE for the line may rightly ring). */
  noInvite?: boolean;
}

type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const id = (r: Rand, n = 8): string => Array.from({ length: n }, () => pick(r, [...'abcdefghijklmnopqrstuvwxyz0123456789'])).join('');

const METHODS = ['INVITE', 'OPTIONS', 'OPTIONS', 'OPTIONS', 'BYE', 'CANCEL', 'ACK', 'MESSAGE', 'INFO', 'UPDATE', 'REGISTER', 'SUBSCRIBE', 'NOTIFY', 'PRACK', "!interesting-Method0123456789_*+`.%indeed'~", 'invite'];
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

/** A well-formed request as header lines (start line first) and a body. */
function base(r: Rand, t: FuzzTarget): { lines: string[]; body: string } {
  const method = pick(r, t.noInvite ? METHODS.filter((m) => m !== 'INVITE') : METHODS);
  const ruri = pick(r, [`sip:${t.user}@${t.host}:${t.port}`, `sip:${t.user}@${t.host}`, `sip:%32${t.user.slice(1)}@${t.host};transport=udp`, `sip:${id(r, 4)}@${t.host}`]);
  const body = method === 'INVITE' || method === 'UPDATE' ? SDP : '';
  const lines = [
    `${method} ${ruri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${pick(r, [t.sentBy, 'unreachable.invalid:5999', '[2001:db8::9]:5060'])};branch=z9hG4bK${id(r)};rport`,
    'Max-Forwards: 70',
    `From: "${pick(r, ['15550109001', 'J Rosenberg \\"', 'Bob'])}" <sip:caller@${t.sentBy}>;tag=${id(r)}`,
    `To: <sip:${t.user}@${t.host}>${r() < 0.3 ? `;tag=${id(r)}` : ''}`,
    `Call-ID: ${id(r, 12)}@${t.sentBy}`,
    `CSeq: ${Math.floor(r() * 1000)} ${method}`,
    `Contact: <sip:caller@${t.sentBy}>`,
  ];
  if (body) lines.push('Content-Type: application/sdp');
  return { lines, body };
}

const MUTATIONS: Array<(r: Rand, lines: string[]) => string[]> = [
  // Duplicates and compact forms (multi01, the To-tag bypass forms).
  (r, l) => [...l, pick(r, ['To: <sip:x@h>;tag=1', 't: <sip:x@h>;tag=2', 'i: dup-call-id', 'Call-ID: dup', 'CSeq: 9 INVITE', 'f: <sip:y@h>;tag=3', 'l: 0', 'Content-Length: 12'])],
  (r, l) => l.map((x) => x.replace(/^To:/, 't:').replace(/^From:/, 'f:').replace(/^Call-ID:/, 'i:').replace(/^Via:/, 'v:')),
  (r, l) => l.map((x) => (x.startsWith('To:') ? `${x};x="a>;tag=${id(r, 3)}"` : x)),
  // Folding and odd whitespace (wsinv, lwsdisp).
  (r, l) => l.map((x) => (x.startsWith('To:') || x.startsWith('Via:') ? x.replace(';', '\r\n ;') : x)),
  (r, l) => l.map((x, i) => (i > 0 ? x.replace(': ', pick(r, [' :  ', ':\t', ':\r\n  '])) : x)),
  // CSeq and start-line damage (mismatch01, badvers, unksm, ncl, scalar02).
  (r, l) => l.map((x) => (x.startsWith('CSeq:') ? pick(r, ['CSeq: 1 BYE', 'CSeq: -1 INVITE', 'CSeq: 36893488147419103232 INVITE', 'CSeq: INVITE', 'CSeq:']) : x)),
  (r, l) => [l[0]!.replace('SIP/2.0', pick(r, ['SIP/7.0', 'SIP/2.0 ', 'sip/2.0', 'SIP/2'])), ...l.slice(1)],
  (r, l) => [l[0]!.replace(/ \S+ /, ` ${pick(r, ['nobodyknowsthisscheme:totallyopaquecontent', 'tel:+15550100', 'sips:2001@h', '<sip:2001@h>', 'sip:', 'http://evil/'])} `), ...l.slice(1)],
  (r, l) => [...l, pick(r, ['Require: nothingSupportsThis', 'Accept: text/nonsense', 'Accept:', 'Content-Encoding: gzip', 'Content-Type: application/unknownstuff', 'Max-Forwards: 0', 'Expires: 4294967296'])],
  // Removal of mandatory headers, long values (longreq), escapes and non-ASCII.
  (r, l) => l.filter((x) => !x.startsWith(pick(r, ['Via', 'To', 'From', 'Call-ID', 'CSeq', 'Contact', 'Max-Forwards']))),
  (r, l) => [...l, `X-Long: ${'a'.repeat(500 + Math.floor(r() * 4000))}`],
  (r, l) => l.map((x) => (x.startsWith('From:') ? x.replace('caller', pick(r, ['%00caller', 'caller%zz', 'cäller', 'c\u0000ller', 'caller;lr;lr;lr'])) : x)),
  (r, l) => l.map((x) => (x.startsWith('Via:') ? `${x}, SIP/2.0/UDP 192.0.2.${Math.floor(r() * 255)};branch=z9hG4bK${id(r)}` : x)),
];

/** One fuzzed datagram. */
export function fuzzMessage(r: Rand, t: FuzzTarget): string {
  if (r() < 0.04) return Array.from({ length: 1 + Math.floor(r() * 300) }, () => String.fromCharCode(Math.floor(r() * 256))).join('');
  const { lines, body } = base(r, t);
  let out = lines;
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) out = pick(r, MUTATIONS)(r, out);
  const length = r() < 0.1 ? pick(r, [-3, body.length + 50, 0, 999_999]) : Buffer.byteLength(body);
  let text = [...out, `Content-Length: ${length}`, '', body].join('\r\n');
  if (r() < 0.05) text = text.replace(/\r\n/g, '\n');
  if (r() < 0.05) text = text.slice(0, Math.floor(r() * text.length));
  if (r() < 0.05) {
    const at = Math.floor(r() * text.length);
    text = text.slice(0, at) + String.fromCharCode(Math.floor(r() * 256)) + text.slice(at + 1);
  }
  return text;
}
