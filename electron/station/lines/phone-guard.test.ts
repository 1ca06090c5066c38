import { describe, expect, it } from 'vitest';
import { guardSchema } from '../config/schema';
import { guardPhone, type GuardTrip } from './phone-guard';

const GUARD = guardSchema.parse({});

/** Feeds readings one after the other, as a phone's info arrives, and lists the verdicts. */
function run(readings: Array<{ t?: number; battery?: number; charging?: boolean }>, guard = GUARD): Array<GuardTrip | 'ok'> {
  let was: GuardTrip | null = null;
  return readings.map(({ t = 30, battery = 80, charging = false }) => {
    was = guardPhone({ temperatureDeciC: t * 10, batteryLevel: battery, charging }, guard, was, 'wa3')?.trip ?? null;
    return was ?? 'ok';
  });
}

describe('the heat and battery guard', () => {
  it('stops a phone above 45 °C and lets it take calls again only once it has cooled to 42 °C', () => {
    expect(run([{ t: 44 }, { t: 45.5 }, { t: 44 }, { t: 42.5 }, { t: 42 }, { t: 44.9 }])).toEqual(['ok', 'hot', 'hot', 'hot', 'ok', 'ok']);
  });

  it('stops a phone below 15 % that is not charging, until it is back at 20 % or charging', () => {
    expect(run([{ battery: 16 }, { battery: 14 }, { battery: 18 }, { battery: 20 }])).toEqual(['ok', 'low-battery', 'low-battery', 'ok']);
    expect(run([{ battery: 10 }, { battery: 10, charging: true }, { battery: 10, charging: true }])).toEqual(['low-battery', 'ok', 'ok']);
    expect(run([{ battery: 255 }])).toEqual(['ok']);
  });

  it('says why in words, heat first, and is silent when switched off', () => {
    expect(guardPhone({ temperatureDeciC: 465, batteryLevel: 12, charging: false }, GUARD, null, 'wa3')).toEqual({
      trip: 'hot',
      reason: 'phone of wa3 is too hot (46.5 °C, limit 45 °C)',
    });
    expect(guardPhone({ temperatureDeciC: 300, batteryLevel: 12, charging: false }, GUARD, null, 'wa3')?.reason).toBe(
      "battery of wa3's phone is low (12 %, limit 15 %, not charging)",
    );
    expect(run([{ t: 60, battery: 1 }], guardSchema.parse({ enabled: false }))).toEqual(['ok']);
    expect(run([{ battery: 1 }], guardSchema.parse({ minBatteryPercent: 0 }))).toEqual(['ok']);
  });

  it('refuses settings whose hysteresis would never let a phone back', () => {
    expect(() => guardSchema.parse({ maxTemperatureC: 40, temperatureHysteresisC: 40 })).toThrow(/must be below maxTemperatureC/);
  });
});
