import { describe, expect, it } from 'vitest';
import { normalizeAddress, resolveSipTarget, type DnsLike } from './host-resolver';

function fakeDns(srv: Record<string, Array<{ name: string; port: number; priority: number; weight: number }>>, a: Record<string, string[]>): DnsLike & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async resolveSrv(name) {
      asked.push(`SRV ${name}`);
      const r = srv[name];
      if (!r) throw Object.assign(new Error('no SRV'), { code: 'ENOTFOUND' });
      return r;
    },
    async lookup(host) {
      asked.push(`A ${host}`);
      const r = a[host];
      if (!r) throw Object.assign(new Error(`no A for ${host}`), { code: 'ENOTFOUND' });
      return r.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
  };
}

describe('resolveSipTarget', () => {
  it('uses an IP address as is with the default port of the transport', async () => {
    const dns = fakeDns({}, {});
    expect(await resolveSipTarget('10.0.0.5', undefined, 'tls', dns)).toEqual([{ address: '10.0.0.5', port: 5061, family: 4 }]);
    expect(await resolveSipTarget('[::1]', 5070, 'udp', dns)).toEqual([{ address: '::1', port: 5070, family: 6 }]);
    expect(dns.asked).toEqual([]);
  });

  it('looks up SRV for a domain without a port, ordered by priority then weight', async () => {
    const dns = fakeDns(
      { '_sip._tcp.pbx.example': [{ name: 'b.example', port: 5080, priority: 20, weight: 0 }, { name: 'a.example', port: 5070, priority: 10, weight: 5 }] },
      { 'a.example': ['192.0.2.1'], 'b.example': ['192.0.2.2', '2001:db8::2'] },
    );
    expect(await resolveSipTarget('pbx.example', undefined, 'tcp', dns)).toEqual([
      { address: '192.0.2.1', port: 5070, family: 4 },
      { address: '192.0.2.2', port: 5080, family: 4 },
      { address: '2001:db8::2', port: 5080, family: 6 },
    ]);
  });

  it('asks _sips._tcp for TLS and _sip._udp for UDP', async () => {
    const dns = fakeDns({}, { 'pbx.example': ['192.0.2.9'] });
    await resolveSipTarget('pbx.example', undefined, 'tls', dns);
    await resolveSipTarget('pbx.example', undefined, 'udp', dns);
    expect(dns.asked).toEqual(['SRV _sips._tcp.pbx.example', 'A pbx.example', 'SRV _sip._udp.pbx.example', 'A pbx.example']);
  });

  it('skips SRV when a port is given and falls back to A with the default port when SRV is absent', async () => {
    const dns = fakeDns({}, { 'pbx.example': ['192.0.2.9'] });
    expect(await resolveSipTarget('pbx.example', 5099, 'udp', dns)).toEqual([{ address: '192.0.2.9', port: 5099, family: 4 }]);
    expect(dns.asked).toEqual(['A pbx.example']);
    expect(await resolveSipTarget('pbx.example', undefined, 'udp', dns)).toEqual([{ address: '192.0.2.9', port: 5060, family: 4 }]);
  });

  it('names the host and transport when nothing resolves', async () => {
    await expect(resolveSipTarget('nowhere.example', undefined, 'udp', fakeDns({}, {}))).rejects.toThrow(
      /cannot resolve SIP server "nowhere.example" for udp/,
    );
  });

  it('normalizes IPv4-mapped IPv6 addresses', () => {
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('::1')).toBe('::1');
  });
});
