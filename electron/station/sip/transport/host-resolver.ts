/**
 * Locating the PBX (RFC 3263 section 4, simplified): an IP address is used as is; a domain with a port
 * is resolved to A/AAAA; a domain without a port is first looked up as SRV (`_sip._udp`, `_sip._tcp`,
 * `_sips._tcp`), ordered by priority then weight, and falls back to A/AAAA on the transport's default
 * port when there is no SRV record. NAPTR is not consulted: the transport is configured, not discovered.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3263#section-4.2
 * @see https://www.rfc-editor.org/rfc/rfc2782 (SRV)
 */
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { defaultPort, type SipTransportKind } from '../sip-config';

export interface ResolvedTarget {
  address: string;
  port: number;
  family: 4 | 6;
}

/** The slice of node:dns/promises used here, injectable so tests need no DNS server. */
export interface DnsLike {
  resolveSrv(name: string): Promise<Array<{ name: string; port: number; priority: number; weight: number }>>;
  lookup(host: string, options: { all: true }): Promise<Array<{ address: string; family: number }>>;
}

const SRV_PREFIX: Record<SipTransportKind, string> = { udp: '_sip._udp', tcp: '_sip._tcp', tls: '_sips._tcp' };

/** SRV lookup errors that mean "no record", after which A/AAAA is tried (RFC 3263 section 4.2). */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'ESERVFAIL', 'EREFUSED', 'ECONNREFUSED', 'ETIMEOUT']);

async function lookupAll(dnsImpl: DnsLike, host: string, port: number): Promise<ResolvedTarget[]> {
  const found = await dnsImpl.lookup(host, { all: true });
  return found.map((a) => ({ address: a.address, port, family: a.family === 6 ? 6 : 4 }));
}

/**
 * Resolves a SIP server to the addresses to try, best first. Throws with the host and the reason when
 * nothing resolves.
 */
export async function resolveSipTarget(
  host: string,
  port: number | undefined,
  transport: SipTransportKind,
  dnsImpl: DnsLike = dns,
): Promise<ResolvedTarget[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family) return [{ address: bare, port: port ?? defaultPort(transport), family: family === 6 ? 6 : 4 }];
  try {
    if (port === undefined) {
      let records: Awaited<ReturnType<DnsLike['resolveSrv']>> = [];
      try {
        records = await dnsImpl.resolveSrv(`${SRV_PREFIX[transport]}.${bare}`);
      } catch (err) {
        if (!NO_RECORD.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      }
      if (records.length > 0) {
        const ordered = [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight);
        const out: ResolvedTarget[] = [];
        for (const r of ordered) {
          try {
            out.push(...(await lookupAll(dnsImpl, r.name, r.port)));
          } catch {
            // An SRV target that does not resolve is skipped; the next one may.
          }
        }
        if (out.length > 0) return out;
      }
    }
    const out = await lookupAll(dnsImpl, bare, port ?? defaultPort(transport));
    if (out.length === 0) throw new Error('no A/AAAA record');
    return out;
  } catch (err) {
    throw new Error(`cannot resolve SIP server "${host}" for ${transport}: ${(err as Error).message}`);
  }
}

/** Strips the IPv4-mapped IPv6 prefix so addresses compare equal whatever socket family saw them. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
