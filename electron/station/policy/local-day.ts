/**
 * The local day that "refused for the rest of the day" and "unique calls per day" count in: either a
 * fixed offset from UTC (a station serving customers in another zone) or the PC's own time zone, with
 * its daylight-saving changes.
 */

const DAY_MS = 86_400_000;

/**
 * The first millisecond of the local day that holds `t`. `offsetMinutes` is minutes east of UTC
 * (420 = UTC+7); null means the system's local time.
 */
export function startOfLocalDay(t: number, offsetMinutes: number | null): number {
  if (offsetMinutes === null) {
    const d = new Date(t);
    d.setHours(0, 0, 0, 0);
    return d.getTime();
  }
  const shift = offsetMinutes * 60_000;
  return Math.floor((t + shift) / DAY_MS) * DAY_MS - shift;
}

/** The first millisecond of the next local day (when a "for the rest of the day" refusal lifts). */
export function startOfNextLocalDay(t: number, offsetMinutes: number | null): number {
  if (offsetMinutes === null) {
    const d = new Date(startOfLocalDay(t, null));
    // setDate, not + 24 h: a local day is 23 or 25 hours long when daylight saving starts or ends.
    d.setDate(d.getDate() + 1);
    return d.getTime();
  }
  return startOfLocalDay(t, offsetMinutes) + DAY_MS;
}
