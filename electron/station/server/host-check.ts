/**
 * Which `Host` headers the station's HTTP API answers. A web page the operator visits can point a DNS
 * name of its own at 127.0.0.1 (DNS rebinding); the browser then sends that name as `Host` and treats
 * the station's answers as the page's own. Answering only the names the server is bound as closes that
 * door: the page's name is refused before any route runs (RFC 9110 section 15.5.20, 421 Misdirected
 * Request, says "this server does not serve that authority").
 */
import { networkInterfaces, hostname } from 'node:os';

/** The names every station answers to, whatever it is bound to. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** Lowercase host name without brackets, so `[::1]` and `::1` compare equal. */
function bare(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}

/**
 * The host names the server answers as: loopback, the configured bind host and, when that is a
 * wildcard (every interface), the machine's own addresses and host name.
 */
export function allowedHostNames(bindHost: string): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  names.add(bare(bindHost));
  if (WILDCARDS.has(bare(bindHost))) {
    names.add(bare(hostname()));
    for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) names.add(bare(a.address));
  }
  return names;
}

/** Splits a Host header into name and port (`[::1]:8420`, `localhost:8420`, `example`); null if malformed. */
export function parseHostHeader(value: string): { name: string; port: number | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!m) return null;
  return { name: bare(m[1]!), port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * Why a request's Host header is refused, or null when it names this server. The port must be the
 * bound port; a Host without one means port 80, so it is refused unless the server listens there.
 */
export function hostRefusal(header: string | undefined, allowed: Set<string>, port: number): string | null {
  if (header === undefined || header === '') return 'a request needs a Host header naming this station';
  const host = parseHostHeader(header);
  if (!host) return `Host "${header}" is not a valid host name`;
  if (!allowed.has(host.name)) return `Host "${header}" is not a name this station is bound as (${[...allowed].join(', ')})`;
  if ((host.port ?? 80) !== port) return `Host "${header}" names port ${host.port ?? 80}, this station listens on ${port}`;
  return null;
}
