/**
 * The server transport's stamp on a received request (RFC 3261 section 18.2.1, RFC 3581 section 4):
 * the top Via gets `received` = the packet's source address and, when the client asked for it with an
 * empty `rport`, `rport` = its source port. Whatever `received`/`rport` the sender wrote is replaced.
 * sip.js copies the Via into every response, so even a response sent long after the request (a 200
 * after a long ring, its retransmissions) carries where the request came from, and the transport never
 * has to trust a sent-by the sender chose.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-18.2.1
 * @see https://www.rfc-editor.org/rfc/rfc3581#section-4
 */

export interface PacketSource {
  address: string;
  port: number;
}

/** Index of the first comma outside angle brackets (a second Via value in the same header). */
function firstListComma(value: string): number {
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) return i;
  }
  return -1;
}

const NAT_PARAM = /^\s*(received|rport)\s*(=|$)/i;

/**
 * `text` with its top Via stamped, or unchanged when the top Via is folded over several lines or holds
 * a quoted string (rewriting those could change how the rest of the header reads; responses to such a
 * request still go to its source while the transport remembers it).
 */
export function stampReceived(text: string, source: PacketSource): string {
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd >= 0 ? text.slice(0, headEnd + 2) : text;
  const m = /\r\n(?:via|v)[ \t]*:/i.exec(head);
  if (!m) return text;
  const valueStart = m.index + m[0].length;
  const lineEnd = head.indexOf('\r\n', valueStart);
  if (lineEnd < 0 || /^[ \t]/.test(head.slice(lineEnd + 2, lineEnd + 3))) return text;
  const line = head.slice(valueStart, lineEnd);
  if (line.includes('"')) return text;
  const comma = firstListComma(line);
  const first = comma >= 0 ? line.slice(0, comma) : line;
  const rest = comma >= 0 ? line.slice(comma) : '';
  const [sentBy, ...params] = first.split(';');
  const askedRport = params.some((p) => /^\s*rport\s*$/i.test(p) || /^\s*rport\s*=/i.test(p));
  const kept = params.filter((p) => !NAT_PARAM.test(p)).map((p) => p.trim());
  const stamped = [sentBy!.trim(), ...kept, `received=${source.address}`, ...(askedRport ? [`rport=${source.port}`] : [])].join(';');
  return `${text.slice(0, valueStart)} ${stamped}${rest}${text.slice(lineEnd)}`;
}
