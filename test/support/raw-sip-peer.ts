/**
 * A SIP peer that sends hand-written datagrams from a chosen loopback address (127.0.0.2 plays the
 * attacker on the same network) and keeps every datagram it receives, for tests that need byte-exact
 * malformed requests no real UA would send.
 */
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { waitFor } from './wait';

export interface ReceivedDatagram {
  text: string;
  /** Status code of a response, 0 for a request. */
  status: number;
  callId: string;
}

export class RawSipPeer {
  readonly received: ReceivedDatagram[] = [];

  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (buf) => {
      const text = buf.toString('utf8');
      const status = /^SIP\/2\.0 (\d{3})/.exec(text)?.[1];
      const callId = /^(?:Call-ID|i):\s*(.*)$/im.exec(text)?.[1]?.trim() ?? '';
      this.received.push({ text, status: status ? Number(status) : 0, callId });
    });
  }

  static async bind(address: string): Promise<RawSipPeer> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => resolve());
    });
    return new RawSipPeer(socket);
  }

  get address(): string {
    return this.socket.address().address;
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(text: string, port: number, address = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(text, port, address, (err) => (err ? reject(err) : resolve())));
  }

  /** Datagrams received for a Call-ID. */
  forCall(callId: string): ReceivedDatagram[] {
    return this.received.filter((d) => d.callId === callId);
  }

  /** Waits for a final (>= 200) response on a Call-ID and returns it. */
  async finalFor(callId: string, timeoutMs = 5_000): Promise<ReceivedDatagram> {
    const { value } = await waitFor(`a final response for ${callId}`, () => this.forCall(callId).find((d) => d.status >= 200), timeoutMs);
    return value;
  }

  close(): void {
    this.socket.close();
  }
}

/** Fields of a request built by {@link sipRequest}; each header line can be replaced or removed. */
export interface RequestParts {
  method?: string;
  ruri: string;
  callId?: string;
  /** `host:port` of the Via sent-by (default: the peer's own address). */
  sentBy: string;
  /** Via branch (default: a fresh one with the RFC 3261 cookie; '' for none). */
  branch?: string;
  /** Header lines after Via (From, To, Call-ID, CSeq, Max-Forwards, Contact by default). */
  headers?: string[];
  body?: string;
  contentType?: string;
}

export const newCallId = (): string => `raw-${randomBytes(6).toString('hex')}`;
export const newBranch = (): string => `z9hG4bK${randomBytes(6).toString('hex')}`;

/** The default header lines of a request, for tests to edit. */
export function defaultHeaders(p: { method: string; ruri: string; callId: string; sentBy: string }): string[] {
  return [
    'Max-Forwards: 70',
    `From: "15550109001" <sip:1001@${p.sentBy}>;tag=${randomBytes(4).toString('hex')}`,
    `To: <${p.ruri}>`,
    `Call-ID: ${p.callId}`,
    `CSeq: 1 ${p.method}`,
    `Contact: <sip:1001@${p.sentBy}>`,
  ];
}

/** A request as text: start line, Via, the header lines, Content-Type/Length and the body. */
export function sipRequest(p: RequestParts): string {
  const method = p.method ?? 'INVITE';
  const callId = p.callId ?? newCallId();
  const headers = p.headers ?? defaultHeaders({ method, ruri: p.ruri, callId, sentBy: p.sentBy });
  const body = p.body ?? '';
  return [
    `${method} ${p.ruri} SIP/2.0`,
    // An empty branch leaves the parameter out, as an RFC 2543 client may.
    `Via: SIP/2.0/UDP ${p.sentBy}${p.branch === '' ? '' : `;branch=${p.branch ?? newBranch()}`};rport`,
    ...headers,
    ...(body ? [`Content-Type: ${p.contentType ?? 'application/sdp'}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** An audio offer from `address` (PCMU), enough for the station to start a call. */
export function sdpOffer(address: string, port = 40_000): string {
  return [`v=0`, `o=- 1 1 IN IP4 ${address}`, 's=-', `c=IN IP4 ${address}`, 't=0 0', `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
}
