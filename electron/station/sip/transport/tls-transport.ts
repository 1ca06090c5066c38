/**
 * SIP over TLS (RFC 3261 section 26.2; RFC 5630 for `sip:` URIs with `transport=tls`): the TCP flow of
 * {@link TcpTransport} over node:tls. The PBX certificate is verified against `tls.ca` (or Node's CA
 * store) unless `rejectUnauthorized` is false; SNI and the name checked are `tls.servername`, else the
 * configured host when it is a domain name (an IP address is matched against the certificate's IP SANs).
 */
import net from 'node:net';
import tls from 'node:tls';
import { TcpTransport } from './tcp-transport';
import type { SipTransportOptions } from './sip-transport';
import type { ResolvedTarget } from './host-resolver';

export class TlsTransport extends TcpTransport {
  override readonly protocol = 'TLS' as const;
  protected override readonly readyEvent = 'secureConnect';

  constructor(sipjsLogger: unknown, options: SipTransportOptions) {
    super(sipjsLogger, options);
  }

  protected override dial(target: ResolvedTarget): net.Socket {
    const { host, tls: settings } = this.options.pbx;
    const servername = settings?.servername ?? (net.isIP(host) ? undefined : host);
    return tls.connect({
      host: target.address,
      port: target.port,
      ca: settings?.ca,
      rejectUnauthorized: settings?.rejectUnauthorized ?? true,
      servername,
      // An IP target with no servername still gets its identity checked, against the IP SANs.
      checkServerIdentity: (_name, cert) => tls.checkServerIdentity(servername ?? target.address, cert),
      minVersion: 'TLSv1.2',
    });
  }
}
