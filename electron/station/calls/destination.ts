/**
 * Where a PBX user's call goes, by the origin's rules, in a configurable order:
 *
 * - `display-name`: the caller's display name holds the number (the origin's rule a);
 * - `caller-id`: the From user holds it (a dialplan doing `Set(CALLERID(all)=${EXTEN})`);
 * - `prefix`: the dialled user (Request-URI or To) is a routing prefix + the number (00111 + 62...);
 * - `dtmf`: nothing above matched: answer, play the intro and collect the number on the keypad.
 *
 * A routing prefix is stripped from whichever source carries it, and may name a line group; the test
 * prefix (the origin's 00123) on any source makes the call an echo test.
 */
import type { DestinationSource } from '../values';

export type { DestinationSource };

export interface RoutingRules {
  order: readonly DestinationSource[];
  prefixes: ReadonlyArray<{ prefix: string; group?: string }>;
  /** Answer, play the intro and echo the caller (checks both audio directions). */
  testPrefix?: string;
}

export interface InviteFacts {
  displayName?: string;
  fromUser?: string;
  requestUser?: string;
  toUser?: string;
  /** The line's own extension: a dialled user equal to it carries no number. */
  lineUser: string;
}

export type Route =
  | { kind: 'number'; number: string; from: DestinationSource; group?: string }
  | { kind: 'echo-test' }
  | { kind: 'collect-dtmf' }
  | { kind: 'invalid'; reason: string };

/** International digits without "+" (7-15 digits, no leading 0), or null. */
export function normaliseNumber(raw: string | undefined): string | null {
  if (!raw) return null;
  const digits = raw.replace(/^\s*\+/, '').replace(/[\s().-]/g, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? digits : null;
}

function candidates(source: DestinationSource, facts: InviteFacts): string[] {
  switch (source) {
    case 'display-name':
      return facts.displayName ? [facts.displayName.trim()] : [];
    case 'caller-id':
      return facts.fromUser ? [facts.fromUser] : [];
    case 'prefix':
      return [facts.requestUser, facts.toUser].filter((u): u is string => !!u && u !== facts.lineUser);
    case 'dtmf':
      return [];
  }
}

export function routeCall(facts: InviteFacts, rules: RoutingRules): Route {
  let sawSomething = false;
  for (const source of rules.order) {
    if (source === 'dtmf') return { kind: 'collect-dtmf' };
    for (const raw of candidates(source, facts)) {
      const compact = raw.replace(/[\s().-]/g, '');
      if (rules.testPrefix && compact.startsWith(rules.testPrefix)) return { kind: 'echo-test' };
      const hit = rules.prefixes.find((p) => compact.startsWith(p.prefix));
      if (source === 'prefix' && !hit) continue;
      const number = normaliseNumber(hit ? compact.slice(hit.prefix.length) : compact);
      if (number) return { kind: 'number', number, from: source, ...(hit?.group ? { group: hit.group } : {}) };
      if (/\d{5,}/.test(compact)) sawSomething = true;
    }
  }
  return {
    kind: 'invalid',
    reason: sawSomething ? 'the dialled number is not a valid international WhatsApp number' : 'no WhatsApp number in display name, caller ID or dialled prefix',
  };
}
