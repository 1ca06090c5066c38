/**
 * What is wrong with a line, in a sentence the operator can act on. The grid colours a card by its
 * worst problem and sorts cards with problems first.
 */
import type { LineView, StationInfo } from '../../../electron/station/api/types';

export type ProblemLevel = 'error' | 'warn';

export interface Problem {
  level: ProblemLevel;
  text: string;
}

/** A line's whole problem when no PBX is configured (the banner above the lines explains it). */
export const NO_PBX = 'no PBX';

const LOW_BATTERY_PERCENT = 15;
const HOT_DECI_C = 450;

/** What the operator does about each unhealthy WhatsApp account state. */
const ACCOUNT_PROBLEMS: Record<string, string> = {
  'logged-out': 'The WhatsApp account is logged out: verify it on the phone. No calls until then (503).',
  banned: 'The WhatsApp account is banned ("not allowed to use WhatsApp"). No calls on this line (503).',
  'not-installed': 'WhatsApp is not installed on the phone. No calls until it is (503).',
  'update-required': 'WhatsApp must be updated on the phone. No calls until then (503).',
};

export function lineProblems(line: LineView, info: Pick<StationInfo, 'pbxConfigured'> | null): Problem[] {
  const out: Problem[] = [];
  if (line.paused) {
    const until = new Date(line.paused.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    out.push({ level: 'error', text: `Paused until ${until} (lock-after): ${line.paused.reason}.` });
  }
  const reg = line.registration;
  if (reg.state === 'failed') {
    out.push({ level: 'error', text: `Registration failed${reg.code ? ` (${reg.code})` : ''}: ${reg.reason || 'no reason given'}` });
  }
  const dev = line.device;
  if (!dev) {
    out.push({ level: 'error', text: 'The phone of this line has not been seen on USB: plug it in and allow USB debugging.' });
  } else if (dev.state === 'unauthorized') {
    out.push({ level: 'error', text: 'The phone has not allowed USB debugging: accept the prompt on its screen.' });
  } else if (dev.state === 'lost') {
    out.push({ level: 'error', text: `The phone is gone from USB${dev.detail ? ` (${dev.detail})` : ''}.` });
  } else if (dev.state === 'failed' || dev.state === 'offline') {
    out.push({ level: 'error', text: `The phone is ${dev.state}: ${dev.detail || 'no detail'}.` });
  }
  if (line.agent && line.agent.audioRoute === 'none') {
    out.push({ level: 'error', text: 'The agent has no audio route: calls on this phone would carry no sound.' });
  }
  if (info && !info.pbxConfigured) {
    // The grid's banner says it in full and leads to Settings; each line says it in two words.
    out.push({ level: 'error', text: NO_PBX });
  } else if (!line.sip) {
    out.push({ level: 'warn', text: 'No SIP account: this phone is not configured as a line yet.' });
  }
  const account = line.account?.state;
  if (account && ACCOUNT_PROBLEMS[account]) out.push({ level: 'error', text: ACCOUNT_PROBLEMS[account]! });
  else if (account === 'unknown') out.push({ level: 'warn', text: "The agent cannot tell the WhatsApp account's state." });
  const a = line.agent;
  if (line.guard) {
    // The guard's own words carry the reading and the limit; the warnings below would repeat them.
    out.push({ level: 'error', text: `Takes no calls: ${line.guard.reason} (503 until it recovers).` });
  } else {
    if (a && a.batteryLevel !== 255 && a.batteryLevel < LOW_BATTERY_PERCENT && !a.charging) {
      out.push({ level: 'warn', text: `Battery at ${a.batteryLevel}% and not charging.` });
    }
    if (a && a.temperatureDeciC >= HOT_DECI_C) {
      out.push({ level: 'warn', text: `The phone is hot (${(a.temperatureDeciC / 10).toFixed(1)} °C).` });
    }
  }
  if (a && a.networkType === 'none') out.push({ level: 'warn', text: 'The phone has no network.' });
  return out;
}

export function worstLevel(problems: Problem[]): ProblemLevel | null {
  if (problems.some((p) => p.level === 'error')) return 'error';
  return problems.length ? 'warn' : null;
}
