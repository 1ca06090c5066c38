/**
 * Framing SIP over a byte stream (TCP, TLS): a message ends after its header block plus
 * Content-Length bytes of body (RFC 3261 section 18.3, where Content-Length is mandatory on streams).
 * CRLFs between messages are keepalives (RFC 5626 section 3.5.1): CRLF CRLF is a ping to answer with a
 * pong, a lone CRLF is a pong.
 */

export type FramedItem = { kind: 'message'; text: string } | { kind: 'ping' } | { kind: 'pong' };

const HEADER_END = Buffer.from('\r\n\r\n');
/** A header block larger than this is not SIP; the connection is closed rather than buffered forever. */
export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_BODY_BYTES = 1024 * 1024;

export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);

  /** Appends received bytes and returns every complete item; throws on a stream that is not SIP. */
  push(chunk: Buffer): FramedItem[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const items: FramedItem[] = [];
    while (this.buffer.length > 0) {
      let crlfs = 0;
      while (this.buffer[crlfs * 2] === 0x0d && this.buffer[crlfs * 2 + 1] === 0x0a) crlfs++;
      if (crlfs > 0) {
        // A lone trailing CR may be the start of another CRLF; wait for it.
        this.buffer = this.buffer.subarray(crlfs * 2);
        items.push(crlfs >= 2 ? { kind: 'ping' } : { kind: 'pong' });
        continue;
      }
      if (this.buffer[0] === 0x0d && this.buffer.length === 1) break;
      const end = this.buffer.indexOf(HEADER_END);
      if (end < 0) {
        if (this.buffer.length > MAX_HEADER_BYTES) throw new Error(`SIP header block longer than ${MAX_HEADER_BYTES} bytes`);
        break;
      }
      const head = this.buffer.subarray(0, end).toString('utf8');
      const m = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)/im.exec(head);
      if (!m) throw new Error('SIP message on a stream without Content-Length (RFC 3261 section 18.3)');
      const bodyLength = Number(m[1]);
      if (bodyLength > MAX_BODY_BYTES) throw new Error(`SIP body of ${bodyLength} bytes is larger than ${MAX_BODY_BYTES}`);
      const total = end + HEADER_END.length + bodyLength;
      if (this.buffer.length < total) break;
      items.push({ kind: 'message', text: this.buffer.subarray(0, total).toString('utf8') });
      this.buffer = this.buffer.subarray(total);
    }
    return items;
  }
}
