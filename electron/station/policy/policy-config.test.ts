import { describe, expect, it } from 'vitest';
import { defaultPolicy, lineLimits, policySchema } from './policy-config';

function issues(input: unknown): string[] {
  const r = policySchema.safeParse(input);
  if (r.success) throw new Error('expected the policy to be refused');
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('policy configuration', () => {
  it('fills in every rule with its defaults, also inside a partly written rule', () => {
    const p = policySchema.parse({ offlineRepeat: { windowHours: 12 } });
    expect(p.offlineRepeat).toEqual({ enabled: true, maxOffline: 2, windowHours: 12 });
    expect(p.earlyHangup).toEqual({ enabled: true, maxPerDay: 2 });
    expect(p.notOnWhatsapp).toEqual({ enabled: true, rememberDays: 30 });
    expect(p.oneCallPerLine.enabled).toBe(true);
    expect(p.dedicated.enabled).toBe(false);
    expect(p.maxDuration.enabled).toBe(false);
    expect(p.timezoneOffsetMinutes).toBeNull();
    expect(defaultPolicy().destinationPatterns).toEqual({ enabled: true, allow: [], deny: [] });
  });

  it('names the field and the reason for bad values', () => {
    const found = issues({
      earlyHangup: { maxPerDay: 0 },
      destinationPatterns: { deny: ['62', '/(/', '62-81'] },
      timezoneOffsetMinutes: 900,
      uniquePerHour: { limit: 3 },
    });
    expect(found).toContain('earlyHangup.maxPerDay: must be at least 1');
    expect(found).toContain('timezoneOffsetMinutes: must be at most 840');
    expect(found.some((i) => i.startsWith('destinationPatterns.deny.1: is not a valid regular expression'))).toBe(true);
    expect(found.some((i) => i.startsWith('destinationPatterns.deny.2: must be a digit prefix'))).toBe(true);
    expect(found.some((i) => i.startsWith('uniquePerHour:') && i.includes('limit'))).toBe(true);
  });

  it('lays a line override over the station-wide limits field by field', () => {
    const p = policySchema.parse({
      uniquePerHour: { max: 10 },
      lines: { wa2: { uniquePerHour: { max: 3 }, dedicated: { enabled: true } } },
    });
    expect(lineLimits(p, 'wa2').uniquePerHour).toEqual({ enabled: true, max: 3 });
    expect(lineLimits(p, 'wa2').dedicated.enabled).toBe(true);
    expect(lineLimits(p, 'wa1').uniquePerHour).toEqual({ enabled: true, max: 10 });
    expect(lineLimits(p, 'wa1').dedicated.enabled).toBe(false);
  });
});

describe('line overrides', () => {
  it('keep only the fields they name (no defaults of their own)', () => {
    const p = policySchema.parse({ maxDuration: { enabled: true, seconds: 600 }, lines: { wa2: { maxDuration: { seconds: 120 } } } });
    expect(p.lines.wa2).toEqual({ maxDuration: { seconds: 120 } });
    expect(lineLimits(p, 'wa2').maxDuration).toEqual({ enabled: true, seconds: 120 });
  });
});
