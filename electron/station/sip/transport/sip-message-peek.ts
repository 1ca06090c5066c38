/**
 * Just enough SIP parsing for the transport layer: the start line and the headers that route and
 * match a message (top Via, CSeq, Call-ID, Route), and the raw header list in which the
 * well-formedness check counts duplicates that sip.js folds away. Who may reach sip.js is decided on
 * sip.js's own parse (see inbound-gate.ts), never on this one: two parsers always disagree somewhere.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-7 (message format)
 * @see https://www.rfc-editor.org/rfc/rfc3261#section-7.3.3 (compact header forms)
 */

export interface PeekedVia {
  transport: string;
  host: string;
  port?: number;
  branch?: string;
  received?: string;
  rport?: number;
}

export interface PeekedMessage {
  kind: 'request' | 'response';
  /** Request method, or the CSeq method of a response. */
  method: string;
  requestUri?: string;
  /** User part of the Request-URI, unescaped. */
  requestUser?: string;
  status?: number;
  via?: PeekedVia;
  /** All Via header values, top first (a stateless response copies them). */
  vias: string[];
  callId?: string;
  cseq?: string;
  from?: string;
  to?: string;
  toTag?: string;
  /** First Route header value (a loose route decides where a request goes). */
  route?: string;
  /** SIP version of the start line (`2.0`); a request with another one is answered 505. */
  version: string;
  /** Every header field, compact names expanded, in order (duplicates kept). */
  headers: Array<[string, string]>;
  /** Why the header block cannot be read the way sip.js reads it (a bare CR or LF), if so. */
  framingError?: string;
}

/** RFC 3261 section 7.3.3 and the IANA registry's compact forms. */
const COMPACT: Record<string, string> = {
  v: 'via',
  i: 'call-id',
  t: 'to',
  f: 'from',
  l: 'content-length',
  m: 'contact',
  c: 'content-type',
  e: 'content-encoding',
  k: 'supported',
  s: 'subject',
  r: 'refer-to',
  o: 'event',
};

/**
 * Splits a header block into lower-case name / value pairs, unfolding continuation lines. Lines end at
 * CRLF only, as in sip.js's parser: a bare LF stays inside a value (and {@link peekMessage} reports it).
 */
export function parseHeaderLines(head: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of head.split('\r\n').slice(1)) {
    if (/^[ \t]/.test(line) && out.length > 0) {
      out[out.length - 1]![1] = `${out[out.length - 1]![1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    out.push([COMPACT[raw] ?? raw, line.slice(colon + 1).trim()]);
  }
  return out;
}

/** Splits a header value list on commas that are outside quotes and angle brackets. */
export function splitList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

/** Parses one Via value: `SIP/2.0/UDP host[:port];branch=...;rport=...;received=...`. */
export function parseVia(value: string): PeekedVia | undefined {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^;:\s]+)(?::(\d+))?\s*(.*)$/i.exec(value.trim());
  if (!m) return undefined;
  const via: PeekedVia = { transport: m[1]!.toUpperCase(), host: m[2]!.replace(/^\[|\]$/g, '') };
  if (m[3]) via.port = Number(m[3]);
  for (const param of (m[4] ?? '').split(';')) {
    const [k, v] = param.trim().split('=');
    const key = k?.toLowerCase();
    if (key === 'branch' && v) via.branch = v;
    else if (key === 'received' && v) via.received = v;
    else if (key === 'rport' && v) via.rport = Number(v);
  }
  return via;
}

/** The `tag` parameter of a From/To value (outside the angle-bracketed URI). */
export function headerTag(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const params = value.includes('>') ? value.slice(value.lastIndexOf('>') + 1) : value.slice(value.indexOf(';'));
  return /;\s*tag=([^;\s]+)/i.exec(params)?.[1];
}

/** `user` of a `sip:user@host` URI, percent-decoded; undefined when the URI has no user part. */
export function uriUser(uri: string): string | undefined {
  const m = /^sips?:([^@;?]+)@/i.exec(uri.replace(/^<|>$/g, ''));
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!.split(':')[0]!);
  } catch {
    return m[1];
  }
}

/** Host and port of a SIP URI (or a name-addr such as a Route value). */
export function uriHostPort(uri: string): { host: string; port?: number } | undefined {
  const inner = /<([^>]*)>/.exec(uri)?.[1] ?? uri;
  const m = /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^;:?>]+)(?::(\d+))?/i.exec(inner.trim());
  if (!m) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), ...(m[2] ? { port: Number(m[2]) } : {}) };
}

/** Reads the start line and routing headers of a SIP message; undefined when it is not SIP. */
export function peekMessage(text: string): PeekedMessage | undefined {
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const firstLine = head.slice(0, head.indexOf('\r\n') >= 0 ? head.indexOf('\r\n') : head.length);
  const headers = parseHeaderLines(head);
  const get = (name: string): string | undefined => headers.find(([n]) => n === name)?.[1];
  const vias = headers.filter(([n]) => n === 'via').flatMap(([, v]) => splitList(v));
  const cseq = get('cseq');
  // Methods are case-sensitive (RFC 3261 section 7.1): `invite` is not INVITE.
  const cseqMethod = cseq?.split(/\s+/)[1];
  const framingError = /\r(?!\n)|(?<!\r)\n/.test(head) ? 'a bare CR or LF inside the header block' : undefined;
  const common = {
    headers,
    ...(framingError ? { framingError } : {}),
    vias,
    via: vias[0] ? parseVia(vias[0]) : undefined,
    callId: get('call-id'),
    cseq,
    from: get('from'),
    to: get('to'),
    toTag: headerTag(get('to')),
    route: get('route') ? splitList(get('route')!)[0] : undefined,
  };
  const response = /^SIP\/2\.0\s+(\d{3})/.exec(firstLine);
  if (response) {
    if (!cseqMethod) return undefined;
    return { kind: 'response', method: cseqMethod, status: Number(response[1]), version: '2.0', ...common };
  }
  // Method is any token (RFC 3261 section 25.1, RFC 4475 section 3.1.1.2 "intmeth"); the version is
  // read whatever it is so that a request in another one can be answered 505.
  const request = /^([-.!%*_+`'~A-Za-z0-9]+) (\S+) SIP\/(\d+\.\d+)$/.exec(firstLine);
  if (!request) return undefined;
  const requestUri = request[2]!;
  return {
    kind: 'request',
    method: request[1]!,
    version: request[3]!,
    requestUri,
    requestUser: uriUser(requestUri),
    ...common,
  };
}

/**
 * A stateless response to a request (RFC 3261 section 8.2.6.2): Via, From, Call-ID and CSeq copied,
 * a To tag added when the request had none.
 */
export function buildStatelessResponse(req: PeekedMessage, status: number, reason: string, toTag: string, extraHeaders: string[] = []): string {
  const to = req.to && !req.toTag ? `${req.to};tag=${toTag}` : (req.to ?? '');
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...req.vias.map((v) => `Via: ${v}`),
    `From: ${req.from ?? ''}`,
    `To: ${to}`,
    `Call-ID: ${req.callId ?? ''}`,
    `CSeq: ${req.cseq ?? ''}`,
    ...extraHeaders,
    'Content-Length: 0',
  ];
  return lines.join('\r\n') + '\r\n\r\n';
}
