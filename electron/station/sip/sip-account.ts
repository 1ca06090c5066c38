/**
 * One line's SIP account: a sip.js UserAgent with our transport (UDP/TCP/TLS), the toll-fraud filter
 * and the registration manager, built from a {@link SipAccountConfig}.
 *
 * The PBX is resolved before the UserAgent exists because sip.js fixes its Via host at construction and
 * drops responses whose Via host differs: the Via host is the bare local IP towards the PBX, and the
 * Contact gets the transport's local port once it is bound (sip.js leaves the port out).
 */
import { UserAgent, type SessionDescriptionHandlerFactory, type UserAgentDelegate } from 'sip.js';
import { TransportState } from 'sip.js';
import { createLogger, type Logger, type LogTags } from '../util/log';
import { useDigestCredentials, type CredentialsSource } from './digest-challenge';
import { dialogPeersOf } from './dialog-peers';
import { InboundFilter } from './inbound-filter';
import { LineRegistration, type RegistrationOptions } from './registration';
import type { RegistrationScheduler } from './registration-scheduler';
import { SIP_DEFAULTS, parseHostPort, type SipAccountConfig, type SipLineConfig } from './sip-config';
import { resolveSipTarget, type DnsLike, type ResolvedTarget } from './transport/host-resolver';
import { installServerTransactionMatching } from './transport/server-transaction-key';
import type { SipTransportBase, SipTransportOptions } from './transport/sip-transport';
import { TcpTransport } from './transport/tcp-transport';
import { TlsTransport } from './transport/tls-transport';
import { UdpTransport, probeLocalAddress, type UdpKeepaliveOptions } from './transport/udp-transport';

export interface SipAccountOptions {
  /** Local address to bind; default: the address the OS uses towards the PBX. */
  localAddress?: string;
  /** Local UDP port; default: any free one. */
  localPort?: number;
  /** Extra users the filter lets through (the line user always is). */
  extraLineUsers?: string[];
  scheduler?: RegistrationScheduler;
  registration?: Partial<Omit<RegistrationOptions, 'reconnect' | 'isConnected' | 'scheduler'>>;
  /** Incoming calls and other UA events (the calls module sets `onInvite`). */
  delegate?: UserAgentDelegate;
  sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory;
  dns?: DnsLike;
  logTags?: LogTags;
}

const TRANSPORTS = { udp: UdpTransport, tcp: TcpTransport, tls: TlsTransport } as const;

export class SipAccount {
  readonly filter: InboundFilter;
  readonly registration: LineRegistration;
  private readonly log: Logger;

  private constructor(
    readonly config: SipAccountConfig,
    readonly ua: UserAgent,
    filter: InboundFilter,
    private readonly credentials: CredentialsSource,
    options: SipAccountOptions,
  ) {
    this.filter = filter;
    this.log = createLogger('sip-account', { line: config.line.user, ...options.logTags });
    this.registration = new LineRegistration(ua, {
      expires: config.pbx.registerExpires ?? SIP_DEFAULTS.registerExpires,
      ...options.registration,
      scheduler: options.scheduler,
      reconnect: () => ua.reconnect(),
      isConnected: () => ua.isConnected(),
      logTags: { line: config.line.user, ...options.logTags },
    });
    this.transport.stateChange.addListener((state) => {
      if (state === TransportState.Disconnected && this.started) this.registration.connectionLost('the transport closed');
    });
  }

  private started = false;

  /** Resolves the PBX and builds the UserAgent; nothing is sent until {@link start}. */
  static async create(config: SipAccountConfig, options: SipAccountOptions = {}): Promise<SipAccount> {
    const { pbx, line } = config;
    installServerTransactionMatching();
    const tags = { line: line.user, ...options.logTags };
    const registrar = parseHostPort(pbx.host);
    const registrarPort = pbx.port ?? registrar.port;
    const registrarTargets = await resolveSipTarget(registrar.host, registrarPort, pbx.transport, options.dns);
    let targets: ResolvedTarget[] = registrarTargets;
    if (pbx.outboundProxy) {
      const proxy = parseHostPort(pbx.outboundProxy);
      targets = await resolveSipTarget(proxy.host, proxy.port, pbx.transport, options.dns);
    }
    const filter = new InboundFilter({
      lineUsers: [line.user, ...(options.extraLineUsers ?? [])],
      trustedAddresses: [...registrarTargets, ...targets].map((t) => t.address),
    });
    const localAddress = options.localAddress ?? (await probeLocalAddress(targets[0]!));
    const hostInUri = registrar.host.includes(':') ? `[${registrar.host}]` : registrar.host;
    const uri = UserAgent.makeURI(`sip:${encodeURIComponent(line.user)}@${hostInUri}${registrarPort ? `:${registrarPort}` : ''}`);
    if (!uri) throw new Error(`line ${line.user}: "${pbx.host}" does not make a valid SIP URI`);
    const uaRef: { ua?: UserAgent; registration?: LineRegistration } = {};
    const transportOptions: SipTransportOptions & UdpKeepaliveOptions = {
      pbx,
      targets,
      localAddress,
      localPort: options.localPort,
      filter,
      logTags: tags,
      onLocalPort: (port) => {
        if (uaRef.ua) uaRef.ua.contact.uri.port = port;
      },
      // What the UA lists in Supported, and 100rel: sip.js's Invitation sends reliable provisional
      // responses whenever an INVITE requires them, whatever it advertises.
      supportedExtensions: () => [...(uaRef.ua?.userAgentCore.configuration.supportedOptionTags ?? []), '100rel'],
      // UDP keepalives ask the registrar for the line itself, so a restarted registrar is noticed.
      keepaliveUser: line.user,
      onBindingLost: (reason) => uaRef.registration?.bindingLost(reason) ?? true,
      onBindingConfirmed: () => uaRef.registration?.bindingConfirmed(),
    };
    const sipLog = createLogger('sip.js', tags);
    const credentials: CredentialsSource = { username: line.authUser ?? line.user, password: line.password };
    const ua = new UserAgent({
      uri,
      displayName: line.displayName,
      viaHost: localAddress.includes(':') ? `[${localAddress}]` : localAddress,
      forceRport: true,
      contactName: line.user,
      contactParams: { transport: pbx.transport },
      transportConstructor: TRANSPORTS[pbx.transport],
      transportOptions,
      reconnectionAttempts: 0,
      // sip.js answers every INVITE with 180 Ringing before the application sees it; the station sends
      // its own 180 when the WhatsApp side rings, so the caller would hear two (same To tag, no SDP).
      sendInitialProvisionalResponse: false,
      userAgentString: 'sip2wa-station',
      delegate: options.delegate,
      sessionDescriptionHandlerFactory: options.sessionDescriptionHandlerFactory,
      logBuiltinEnabled: false,
      logConfiguration: false,
      // sip.js calls the connector for every level whatever logLevel says; its errors are our warnings.
      logConnector: (level, category, _label, content) => {
        if (level === 'error') sipLog.warn(`${category}: ${content}`);
        else sipLog.debug(`${category}: ${content}`);
      },
    });
    uaRef.ua = ua;
    // In-dialog requests from outside the PBX must name one of this UA's dialogs, from one of its peers.
    filter.useDialogs(dialogPeersOf(ua));
    // Digest auth with MD5 and SHA-256 / SHA-512-256 (RFC 8760), preferring the strongest offered.
    useDigestCredentials(ua, credentials, tags);
    const account = new SipAccount(config, ua, filter, credentials, options);
    uaRef.registration = account.registration;
    return account;
  }

  get transport(): SipTransportBase {
    return this.ua.transport as unknown as SipTransportBase;
  }

  /** Connects the transport (binds the UDP socket) and starts registering. */
  async start(): Promise<void> {
    this.started = true;
    try {
      await this.ua.start();
    } catch (err) {
      // A TCP/TLS PBX that is down at start: the registration retries (and reconnects) with backoff.
      this.log.warn(`cannot connect to the PBX yet: ${(err as Error).message}`);
    }
    this.registration.start();
  }

  /** Un-registers, then closes the transport. */
  async stop(): Promise<void> {
    this.started = false;
    await this.registration.stop();
    // sip.js waits for every transaction to end (up to 32 s when the PBX is gone); the BYEs and the
    // unregister have been sent by then, so a shutdown waits 3 s at most.
    let timer: NodeJS.Timeout | undefined;
    const stopped = this.ua.stop().catch((err: Error) => this.log.warn(`stopping the user agent: ${err.message}`));
    await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, 3_000)))]);
    clearTimeout(timer);
  }

  /** New credentials (from the config): used from the next challenge on; refusals are forgotten. */
  updateCredentials(line: Pick<SipLineConfig, 'authUser' | 'password'>): void {
    // Our digest factory (digest-challenge.ts) reads this object at each challenge.
    this.credentials.username = line.authUser ?? this.config.line.user;
    this.credentials.password = line.password;
    this.registration.credentialsChanged();
  }
}
