import { describe, expect, it } from 'vitest';
import { sign, verify } from './signature';

const SECRET = '0123456789abcdef-secret';
const BODY = '{"type":"alarm","rule":"registration-failed"}';

describe('the webhook signature', () => {
  it('is HMAC-SHA256 of "<timestamp>.<body>" in lowercase hex (the value Python\'s hmac module gives)', () => {
    expect(sign(SECRET, 1764720000, BODY)).toBe('sha256=58d91df8002d3e39617e3d689fd9b883b12ccc7d854b839b753a2afdd7a03d62');
  });

  it('verifies for the same secret, body and timestamp only, and refuses a replay older than the tolerance', () => {
    const signature = sign(SECRET, 1764720000, BODY);
    expect(verify(SECRET, { signature, timestamp: '1764720000' }, BODY, 1764720100)).toBe(true);
    expect(verify('another secret of 16+', { signature, timestamp: '1764720000' }, BODY, 1764720100)).toBe(false);
    expect(verify(SECRET, { signature, timestamp: '1764720000' }, BODY.replace('failed', 'fixed'), 1764720100)).toBe(false);
    // The same body and signature under a newer timestamp: the timestamp is signed too.
    expect(verify(SECRET, { signature, timestamp: '1764720200' }, BODY, 1764720200)).toBe(false);
    expect(verify(SECRET, { signature, timestamp: '1764720000' }, BODY, 1764720000 + 301)).toBe(false);
    expect(verify(SECRET, { timestamp: '1764720000' }, BODY, 1764720000)).toBe(false);
  });
});
