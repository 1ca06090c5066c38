/**
 * The signature of a webhook POST, so a receiver can tell the station's requests from a stranger's and
 * refuse an old one replayed:
 *
 *   X-Sip2wa-Timestamp: <unix seconds when this attempt was sent>
 *   X-Sip2wa-Signature: sha256=<lowercase hex of HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * The body is hashed as the bytes sent (UTF-8), before any JSON parsing. Each retry is signed again with
 * its own timestamp; X-Sip2wa-Delivery stays the same across retries so a receiver can drop a duplicate.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-sip2wa-signature';
export const TIMESTAMP_HEADER = 'x-sip2wa-timestamp';
export const DELIVERY_HEADER = 'x-sip2wa-delivery';

/** The signature header's value for a body sent at `timestampS`. */
export function sign(secret: string, timestampS: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampS}.`).update(body, 'utf8').digest('hex')}`;
}

/**
 * What a receiver does: true when the signature is the secret's for this body and timestamp, and the
 * timestamp is within `toleranceS` of `nowS`. Compared in constant time.
 */
export function verify(secret: string, headers: { signature?: string; timestamp?: string }, body: string, nowS = Date.now() / 1000, toleranceS = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowS - ts) > toleranceS) return false;
  const want = Buffer.from(sign(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}
