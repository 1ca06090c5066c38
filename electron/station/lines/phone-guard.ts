/**
 * The heat and battery guard: whether a phone is fit to take a new call, from what its agent's `info`
 * says (battery level, charging, battery temperature) and the settings' `guard` section.
 *
 *   ok --temperature > max--> hot --temperature <= max - hysteresis--> ok
 *   ok --battery < min, not charging--> low-battery --battery >= min + hysteresis, or charging--> ok
 *
 * Heat wins when both apply: a hot phone must cool whatever its charge. The hysteresis keeps a phone at
 * the limit from flapping in and out of hunting with every reading.
 */
import type { AgentInfo } from '../devices/agent-link';
import type { GuardConfig } from '../config/schema';
import { UNKNOWN_LEVEL } from '../../../phone-agent/protocol';

export type GuardTrip = 'hot' | 'low-battery';

export interface GuardState {
  trip: GuardTrip;
  /** What the line shows and the 503's Warning says, e.g. "phone of wa3 is too hot (46.5 °C, limit 45 °C)". */
  reason: string;
}

type Reading = Pick<AgentInfo, 'batteryLevel' | 'charging' | 'temperatureDeciC'>;

const celsius = (deciC: number): string => `${(deciC / 10).toFixed(1)} °C`;

function isHot(r: Reading, g: GuardConfig, was: GuardTrip | null): boolean {
  const limit = was === 'hot' ? g.maxTemperatureC - g.temperatureHysteresisC : g.maxTemperatureC;
  return r.temperatureDeciC / 10 > limit;
}

function isLow(r: Reading, g: GuardConfig, was: GuardTrip | null): boolean {
  if (r.charging || r.batteryLevel === UNKNOWN_LEVEL || g.minBatteryPercent === 0) return false;
  const limit = was === 'low-battery' ? g.minBatteryPercent + g.batteryHysteresisPercent : g.minBatteryPercent;
  return r.batteryLevel < limit;
}

/** The guard's verdict on a new reading, given its verdict on the last one (null = the phone was fine). */
export function guardPhone(r: Reading, g: GuardConfig, was: GuardTrip | null, lineId: string): GuardState | null {
  if (!g.enabled) return null;
  if (isHot(r, g, was)) {
    return { trip: 'hot', reason: `phone of ${lineId} is too hot (${celsius(r.temperatureDeciC)}, limit ${g.maxTemperatureC} °C)` };
  }
  if (isLow(r, g, was)) {
    return { trip: 'low-battery', reason: `battery of ${lineId}'s phone is low (${r.batteryLevel} %, limit ${g.minBatteryPercent} %, not charging)` };
  }
  return null;
}
