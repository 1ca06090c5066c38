import { describe, expect, it } from 'vitest';
import { normaliseNumber } from './phone-call';

describe('the number the operator types', () => {
  it('is reduced to international digits', () => {
    expect(normaliseNumber('+1 555 010-9001')).toBe('15550109001');
    expect(normaliseNumber(' 4915112345678 ')).toBe('4915112345678');
    expect(normaliseNumber('+44 (20) 7946 0958')).toBe('442079460958');
  });
  it('is refused, quoted, when it is not an international number', () => {
    expect(() => normaliseNumber('0171 234')).toThrow('"0171 234" is not an international number (7-15 digits, country code first)');
    expect(() => normaliseNumber('+1 555 abc')).toThrow('is not an international number');
    expect(() => normaliseNumber('1234567890123456')).toThrow('is not an international number');
  });
});
