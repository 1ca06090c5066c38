import { afterEach, describe, expect, it } from 'vitest';
import { startOfLocalDay, startOfNextLocalDay } from './local-day';

const utc = (s: string) => Date.parse(s);

describe('local day', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('starts at local midnight for a fixed offset east or west of UTC', () => {
    // 16:59:59 UTC is 23:59:59 in Jakarta (UTC+7); one second later is the next day there.
    expect(startOfLocalDay(utc('2024-05-01T16:59:59Z'), 420)).toBe(utc('2024-04-30T17:00:00Z'));
    expect(startOfLocalDay(utc('2024-05-01T17:00:00Z'), 420)).toBe(utc('2024-05-01T17:00:00Z'));
    expect(startOfNextLocalDay(utc('2024-05-01T16:59:59Z'), 420)).toBe(utc('2024-05-01T17:00:00Z'));
    expect(startOfLocalDay(utc('2024-05-01T02:00:00Z'), -300)).toBe(utc('2024-04-30T05:00:00Z'));
    expect(startOfLocalDay(utc('2024-05-01T12:00:00Z'), 0)).toBe(utc('2024-05-01T00:00:00Z'));
  });

  it("follows the PC's time zone, including a 23-hour day when daylight saving starts", () => {
    process.env.TZ = 'America/New_York';
    // 2024-03-10: clocks jump from 02:00 to 03:00 EST -> EDT.
    const noon = utc('2024-03-10T16:00:00Z');
    expect(startOfLocalDay(noon, null)).toBe(utc('2024-03-10T05:00:00Z'));
    expect(startOfNextLocalDay(noon, null)).toBe(utc('2024-03-11T04:00:00Z'));
  });
});
