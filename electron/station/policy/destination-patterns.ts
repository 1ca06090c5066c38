/**
 * Allow and deny lists on the destination number. A pattern is a digit prefix ("62", "+6281") or a
 * regular expression between slashes ("/^62(81|82)\d{8,9}$/"), tested against the number's digits.
 * Deny wins; with an allow list, a number that matches none of it is refused.
 */
import { isRegexPattern } from './policy-config';

export interface DestinationFilter {
  /** Why the number is refused, or null when it may be called. */
  refusal(digits: string): string | null;
}

type Matcher = { source: string; test: (digits: string) => boolean };

function compile(pattern: string): Matcher {
  if (isRegexPattern(pattern)) {
    const re = new RegExp(pattern.slice(1, -1));
    return { source: pattern, test: (d) => re.test(d) };
  }
  const prefix = pattern.replace(/^\+/, '');
  return { source: pattern, test: (d) => d.startsWith(prefix) };
}

export function compileDestinationFilter(allow: readonly string[], deny: readonly string[]): DestinationFilter {
  const allowed = allow.map(compile);
  const denied = deny.map(compile);
  return {
    refusal(digits) {
      const hit = denied.find((m) => m.test(digits));
      if (hit) return `${digits} matches the deny pattern ${hit.source}`;
      if (allowed.length > 0 && !allowed.some((m) => m.test(digits))) return `${digits} matches no allow pattern`;
      return null;
    },
  };
}

/** The number as the filters keep it: digits only ("+62 812-3456" -> "628123456"). */
export function normalizeNumber(number: string): string {
  return number.replace(/\D/g, '');
}
