/**
 * Configuration of one SIP line: the PBX it registers on and the extension's credentials.
 *
 * Declared once here, together with {@link accountConfig}, which builds an account's configuration from a
 * line and its PBX as the configuration file names them. Passwords live only in
 * {@link SipLineConfig.password} and are never logged.
 */
import { readFileSync } from 'node:fs';

/** Signalling transport towards the PBX (RFC 3261 section 18; TLS per RFC 3261 section 26.2). */
export type SipTransportKind = 'udp' | 'tcp' | 'tls';

/** TLS settings for `transport: 'tls'`. */
export interface SipTlsConfig {
  /** PEM CA bundle (certificate text) trusted for the PBX certificate; defaults to Node's CA store. */
  ca?: string;
  /** Verify the PBX certificate (default true). Turning it off allows a man in the middle. */
  rejectUnauthorized?: boolean;
  /** SNI and certificate name; defaults to `host` when it is a domain name. */
  servername?: string;
}

export interface SipPbxConfig {
  /** Registrar host: an IP address or a domain (SRV is looked up when it is a domain and `port` is absent). */
  host: string;
  port?: number;
  transport: SipTransportKind;
  /** `host[:port]` every request is sent to instead of the registrar (RFC 3261 section 8.1.2). */
  outboundProxy?: string;
  tls?: SipTlsConfig;
  /** Keepalive interval: CRLF ping on TCP/TLS (RFC 5626 section 3.5.1), OPTIONS on UDP. 0 turns it off. */
  keepaliveSeconds?: number;
  /** Expires asked for in REGISTER (RFC 3261 section 10.2.1); default 600. */
  registerExpires?: number;
}

export interface SipLineConfig {
  /** Extension (the AOR user: `sip:user@host`). */
  user: string;
  /** Digest username when it differs from `user`. */
  authUser?: string;
  password: string;
  displayName?: string;
}

/** One line's SIP account: what a {@link SipAccount} is built from. */
export interface SipAccountConfig {
  pbx: SipPbxConfig;
  line: SipLineConfig;
}

/** A PBX as the configuration file names it: the TLS CA is a file, read when an account is built. */
export interface PbxSettings extends Omit<SipPbxConfig, 'tls'> {
  tls?: { caFile?: string; rejectUnauthorized?: boolean; servername?: string };
}

/**
 * One line's account configuration from the line's credentials and its PBX. The CA file is read here,
 * at each (re)build of the account, so a renewed CA is picked up by the next registration start; a
 * missing file throws with its path, which the line logs as why its account could not start.
 */
export function accountConfig(pbx: PbxSettings, line: SipLineConfig): SipAccountConfig {
  return {
    pbx: {
      host: pbx.host,
      port: pbx.port,
      transport: pbx.transport,
      outboundProxy: pbx.outboundProxy,
      tls: pbx.tls && {
        ca: pbx.tls.caFile ? readFileSync(pbx.tls.caFile, 'utf8') : undefined,
        rejectUnauthorized: pbx.tls.rejectUnauthorized,
        servername: pbx.tls.servername,
      },
      keepaliveSeconds: pbx.keepaliveSeconds,
      registerExpires: pbx.registerExpires,
    },
    line: { user: line.user, authUser: line.authUser, password: line.password, displayName: line.displayName },
  };
}

export const SIP_DEFAULTS = {
  udpPort: 5060,
  tcpPort: 5060,
  tlsPort: 5061,
  registerExpires: 600,
  keepaliveSeconds: 30,
} as const;

/** The default port of a transport (RFC 3261 section 19.1.2). */
export function defaultPort(transport: SipTransportKind): number {
  return transport === 'tls' ? SIP_DEFAULTS.tlsPort : SIP_DEFAULTS.udpPort;
}

/** Splits `host[:port]` (and `[v6]:port`) as used by {@link SipPbxConfig.outboundProxy}. */
export function parseHostPort(value: string): { host: string; port?: number } {
  const trimmed = value.trim().replace(/^sips?:/i, '').replace(/;.*$/, '');
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (v6) return { host: v6[1]!, ...(v6[2] ? { port: Number(v6[2]) } : {}) };
  const m = /^([^:]+)(?::(\d+))?$/.exec(trimmed);
  if (!m) throw new Error(`outbound proxy "${value}" is not host[:port]`);
  return { host: m[1]!, ...(m[2] ? { port: Number(m[2]) } : {}) };
}
