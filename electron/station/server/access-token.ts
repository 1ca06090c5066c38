/**
 * The access token of a station bound beyond loopback. Compared in constant time (on digests, so the
 * lengths do not leak either), and accepted as `Authorization: Bearer TOKEN` or as `?token=` (a
 * browser's WebSocket cannot set headers).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(expected), digest(given));
}

/** Whether a request carries the token, in its Authorization header or its URL. */
export function requestHasToken(expected: string, headers: IncomingHttpHeaders, url: URL): boolean {
  const auth = headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
  return tokenMatches(expected, bearer) || tokenMatches(expected, url.searchParams.get('token'));
}

/** The shortest token the station accepts. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Why a configured access token is too weak to guard the station, or null when it will do. A token of
 * blanks or of one character repeated passes a length check but is the first thing a guesser tries.
 */
export function weakTokenReason(token: string): string | null {
  if (token.trim() === '') return 'is empty or only blanks';
  if (token.length < MIN_TOKEN_LENGTH) return `must be at least ${MIN_TOKEN_LENGTH} characters`;
  if (new Set(token).size === 1) return 'is one character repeated';
  return null;
}
