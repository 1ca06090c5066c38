/**
 * A line: one phone (by serial) plus one SIP account on the PBX. The line registers only while its
 * phone is ready, so the PBX never routes a call to a line that cannot carry it; it unregisters when
 * the phone has been gone for a grace period (an adb restart takes about a second and must not drop
 * the registration). One call at a time, in either direction.
 *
 * The state diagram is in line-state.ts.
 */
import { isIP } from 'node:net';
import type { Invitation } from 'sip.js';
import { isIncomingCallId } from '../../../phone-agent/protocol';
import type { LineView } from '../api/types';
import type { Call, PhoneEnd } from '../calls/call';
import { handleWhatsAppToSip } from '../calls/whatsapp-to-sip';
import { guardSchema, type GuardConfig, type LineConfig, type MediaConfig, type PbxConfig } from '../config/schema';
import type { DeviceManager } from '../devices/device-manager';
import type { AgentLink } from '../devices/agent-link';
import type { DeviceSupervisor } from '../devices/device-supervisor';
import type { MediaEngine } from '../media/media-engine';
import { createRtpSdhFactory, type RtpSdhConfig } from '../media/session-description-handler';
import type { RegistrationScheduler } from '../sip/registration-scheduler';
import { SipAccount } from '../sip/sip-account';
import { accountConfig } from '../sip/sip-config';
import { Emitter } from '../util/emitter';
import { createLogger, type Logger } from '../util/log';
import { AgentPort } from '../devices/agent-port';
import { deviceView } from './device-view';
import { LineHealth, type Outage } from './line-health';
import { watchPhoneLoss } from './phone-loss';
import type { LineState } from './line-state';

export interface LineDeps {
  devices: DeviceManager;
  media: MediaEngine;
  mediaConfig: MediaConfig;
  scheduler?: RegistrationScheduler;
  /** How long a phone may be gone before the line unregisters (default 10 s). */
  unregisterGraceMs?: number;
  /** A PBX user's INVITE arrived on this line's SIP account (the station routes it). */
  onInvite(line: Line, invitation: Invitation): void;
  /** A call started on this line's phone (an inbound WhatsApp call). */
  onCall(line: Line, call: Call): void;
  /** What a line without a SIP account says (e.g. that no PBX is configured yet). */
  noPbxReason?: string;
  /** The heat and battery guard in force (a settings save replaces it); absent = the defaults. */
  guard?: GuardConfig;
}

export type LineEvents = {
  change: [];
  /** A WhatsApp message arrived on the line's phone. */
  'whatsapp-message': [{ from: string; name: string; text: string; time: number }];
  /** The line sent a WhatsApp message by itself (busy auto-reply). */
  'auto-reply': [{ to: string; text: string }];
};

const MAX_STATION_CALL_ID = 0x7fffffff;
const DEFAULT_GUARD = guardSchema.parse({});

export class Line extends Emitter<LineEvents> {
  readonly port = new AgentPort();
  account: SipAccount | null = null;
  call: Call | null = null;
  private nextCallId = 1;
  /** The call before `call`, once `call` replaced an ended one: `lastCall` of the view while a new call runs. */
  private previousCall: Call | null = null;
  private nextMessageId = 1;
  private cleanedUp = false;
  /** Phone call ids of calls ended because the phone was lost: the agent may still carry them. */
  private readonly lostCallIds = new Set<number>();
  private supervisor: DeviceSupervisor | null = null;
  private accountStarting: Promise<void> | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private offs: Array<() => void> = [];
  private readonly log: Logger;
  /** Switched on or off for this run by the operator; starts as configured. */
  private switchedOn: boolean;
  /** The WhatsApp account's state and the heat and battery guard, from the agent's info. */
  readonly health: LineHealth;

  /**
   * `pbx` null: a phone no SIP account claims (or no PBX is configured yet). It is still a line: the
   * grid shows it, and the operator can test-dial and echo-test through it; it never registers.
   */
  constructor(
    readonly config: LineConfig,
    readonly pbx: PbxConfig | null,
    private readonly deps: LineDeps,
  ) {
    super();
    this.switchedOn = config.enabled;
    this.log = createLogger('line', { line: config.id, serial: config.serial });
    this.health = new LineHealth(config.id);
  }

  /** A line of a phone without a SIP account: id = serial. */
  static sipless(serial: string, deps: LineDeps): Line {
    return new Line({ id: serial, serial, pbx: '', user: '', password: '', codecs: [], enabled: true }, null, deps);
  }

  get hasSip(): boolean {
    return this.pbx !== null;
  }

  /** Whether the line is on now: as configured until the operator switches it (`config.enabled` stays). */
  get enabled(): boolean {
    return this.switchedOn;
  }

  /** Switches the line on or off for this run; refused while it carries a call. */
  setEnabled(enabled: boolean): void {
    if (!this.pbx) throw new Error(`line ${this.config.id} has no SIP account to switch`);
    if (!enabled && this.busy) throw new Error(`line ${this.config.id} is in a call: hang up first`);
    if (enabled === this.switchedOn) return;
    this.switchedOn = enabled;
    this.log.info(enabled ? 'switched on by the operator' : 'switched off by the operator');
    if (!enabled) void this.stopAccount();
    this.deviceChanged();
  }

  /** Drops the registration and registers again now (after a PBX-side change, say). */
  async reRegister(): Promise<void> {
    if (!this.pbx || !this.enabled) throw new Error(`line ${this.config.id} is switched off`);
    if (this.busy) throw new Error(`line ${this.config.id} is in a call: hang up first`);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    await this.accountStarting;
    await this.stopAccount();
    this.deviceChanged();
  }

  start(): void {
    this.offs.push(
      this.deps.devices.on('added', (sup) => this.bind(sup)),
      this.deps.devices.on('change', (snap) => snap.serial === this.config.serial && this.deviceChanged()),
      this.port.on('message', (m) => {
        if (m.type === 'call-incoming' && isIncomingCallId(m.callId)) this.incoming(m);
        else if (m.type === 'message-received') this.emit('whatsapp-message', { from: m.from, name: m.name, text: m.text, time: m.time });
      }),
    );
    const sup = this.deps.devices.get(this.config.serial);
    if (sup) this.bind(sup);
    this.deviceChanged();
  }

  async stop(): Promise<void> {
    for (const off of this.offs) off();
    this.offs = [];
    if (this.graceTimer) clearTimeout(this.graceTimer);
    await this.stopAccount();
  }

  get state(): LineState {
    if (!this.pbx || !this.enabled) return 'disabled';
    if (this.call && !this.call.ended) return 'in-call';
    if (this.supervisor?.state.state !== 'ready' && !this.account) return 'no-device';
    const reg = this.account?.registration.status;
    if (!reg) return 'registering';
    if (reg.state === 'registered') return 'registered';
    if (reg.state === 'failed') return 'failed';
    return 'registering';
  }

  view(): LineView {
    const reg = this.account?.registration.status;
    const state = this.state;
    const reason =
      !this.pbx ? (this.deps.noPbxReason ?? 'no SIP account configured for this phone')
      : state === 'disabled' ? (this.config.enabled ? 'switched off by the operator' : 'switched off in the configuration')
      : state === 'no-device' ? `phone ${this.config.serial} is not ready`
      : (reg?.reason ?? '');
    const snap = this.supervisor?.state;
    return {
      id: this.config.id,
      device: snap ? deviceView(snap) : null,
      agent: snap?.state === 'ready' && snap.agent ? { ...snap.agent, account: this.whatsappAccount() ?? '' } : null,
      registration: { state, reason, code: reg?.code ?? null },
      call: this.busy ? this.call!.view() : null,
      lastCall: this.call?.ended ? this.call.view() : (this.previousCall?.view() ?? null),
      sip: this.pbx && { user: this.config.user, pbx: this.config.pbx, group: this.config.group ?? null, enabled: this.enabled },
      today: null,
      paused: null,
      account: this.health.accountView(),
      guard: this.health.guardView(),
    };
  }

  /** Why the line must take no new call now (its WhatsApp account, or a hot or flat phone), or null. */
  outOfService(): Outage | null {
    return this.health.outage();
  }

  private bind(sup: DeviceSupervisor): void {
    if (sup.serial !== this.config.serial || this.supervisor === sup) return;
    this.supervisor = sup;
    const attach = (link: AgentLink): void => {
      this.port.attach(link);
      // The first link of this run: calls a previous run left on the phone (a crash) are ended, so they
      // neither keep the phone busy nor collide with this run's call ids.
      if (!this.cleanedUp) {
        this.cleanedUp = true;
        this.lostCallIds.clear();
        this.port.send({ type: 'hang-up', callId: 0 });
      } else {
        this.reconcile();
      }
    };
    this.offs.push(sup.on('link', attach));
    if (sup.link) attach(sup.link);
  }

  private deviceChanged(): void {
    const agent = this.supervisor?.state.agent;
    const before = this.health.outage()?.rule;
    if (agent && this.health.update(agent, this.deps.guard ?? DEFAULT_GUARD)) {
      const out = this.health.outage();
      if (out?.rule !== before) this.log.info(out ? `out of service: ${out.reason}` : 'in service again');
    }
    const ready = this.supervisor?.state.state === 'ready';
    if (ready && this.enabled && this.pbx) {
      if (this.graceTimer) clearTimeout(this.graceTimer);
      this.graceTimer = null;
      if (!this.account && !this.accountStarting) {
        this.accountStarting = this.startAccount()
          .catch((err: Error) => this.log.error(`cannot start the SIP account: ${err.message}`))
          .finally(() => (this.accountStarting = null));
      }
    } else if (this.account && !this.graceTimer) {
      this.graceTimer = setTimeout(() => {
        this.graceTimer = null;
        if (this.supervisor?.state.state !== 'ready') void this.stopAccount();
      }, this.deps.unregisterGraceMs ?? 10_000);
    }
    this.emit('change');
  }

  private async startAccount(): Promise<void> {
    const { media, mediaConfig } = this.deps;
    const pbx = this.pbx!;
    const sdh: RtpSdhConfig = {
      engine: media,
      advertisedAddress: mediaConfig.bindAddress,
      bindAddress: mediaConfig.bindAddress,
      portRange: { min: mediaConfig.rtpPortMin, max: mediaConfig.rtpPortMax },
      // A PBX that relays the media itself sends it from its own address, whatever its SDP says.
      trustedSources: isIP(pbx.host) ? [pbx.host] : [],
      codecs: this.config.codecs,
      log: this.log,
    };
    const account = await SipAccount.create(accountConfig(pbx, this.config), {
      delegate: { onInvite: (invitation) => this.onInvite(invitation) },
      sessionDescriptionHandlerFactory: createRtpSdhFactory(sdh),
      scheduler: this.deps.scheduler,
      logTags: { line: this.config.id },
    });
    // RTP is advertised on the address the PBX reaches us at (the SIP local address) unless bound to one.
    if (mediaConfig.bindAddress === '0.0.0.0') sdh.advertisedAddress = account.transport.localAddress;
    account.registration.on('change', () => this.emit('change'));
    this.account = account;
    await account.start();
  }

  private async stopAccount(): Promise<void> {
    const account = this.account;
    this.account = null;
    if (account) await account.stop();
    this.emit('change');
  }

  /** True while the line's phone carries a call (one call per phone). */
  get busy(): boolean {
    return !!this.call && !this.call.ended;
  }

  /** The phone's WhatsApp number: as its agent reports it, else as the configuration names it. */
  private whatsappAccount(): string | null {
    return this.supervisor?.state.agent?.account || this.config.whatsappNumber || null;
  }

  /** The line's phone as the end of a call. */
  phoneEnd(): PhoneEnd {
    return {
      lineId: this.config.id,
      serial: this.config.serial,
      account: this.whatsappAccount(),
      port: this.port,
      nextPhoneCallId: () => {
        const id = this.nextCallId;
        this.nextCallId = id >= MAX_STATION_CALL_ID ? 1 : id + 1;
        return id;
      },
    };
  }

  /**
   * The call now uses this line's phone. A call with a SIP leg is ended when the phone is lost
   * (phone-loss.ts); the WhatsApp call the agent may still hold is ended when the phone is back. The
   * operator's own calls (operator/phone-call.ts) watch their phone themselves.
   */
  assignCall(call: Call): void {
    if (this.call?.ended) this.previousCall = this.call;
    this.call = call;
    call.on('change', () => this.emit('change'));
    if (call.direction === 'sip-to-whatsapp' || call.direction === 'whatsapp-to-sip') {
      call.on('lost', () => call.phoneCallId && this.lostCallIds.add(call.phoneCallId));
      watchPhoneLoss({ devices: this.deps.devices, port: this.port, serial: this.config.serial }, call);
    }
    this.emit('change');
  }

  /**
   * The agent link is back after a loss: the WhatsApp calls the station gave up on are ended on the
   * phone, so the WhatsApp side is not left connected to nothing and the phone is free. With no call on
   * the line at all, hang-up 0 ends whatever the phone holds (PROTOCOL.md "Calls").
   */
  private reconcile(): void {
    if (this.lostCallIds.size === 0) return;
    const ids = this.busy ? [...this.lostCallIds] : [0];
    this.lostCallIds.clear();
    this.log.info(`phone back: ending the WhatsApp call${ids[0] === 0 ? 's it still holds (hang-up 0)' : ` ${ids.join(', ')}`} the station gave up on`);
    for (const callId of ids) this.port.send({ type: 'hang-up', callId });
  }

  private onInvite(invitation: Invitation): void {
    this.deps.onInvite(this, invitation);
  }

  /** Sends a WhatsApp text from the line's phone; false when the phone is not reachable. */
  sendMessage(to: string, text: string): boolean {
    return this.port.send({ type: 'send-message', messageId: this.nextMessageId++, to, text });
  }

  private incoming(m: { callId: number; number: string; name: string }): void {
    const ext = this.config.inboundExtension;
    const busy = !!this.call && !this.call.ended;
    // A hot or flat phone takes no call at all; an account the agent calls unhealthy still rang, so it works.
    const guarded = this.health.guarded ? this.health.guardView()!.reason : null;
    if (busy || guarded || !ext || !this.account || this.account.registration.status.state !== 'registered') {
      this.log.info(`declined a WhatsApp call from ${m.number}: ${busy ? 'line busy' : guarded ?? (!ext ? 'no inbound extension configured' : 'line not registered')}`);
      this.port.send({ type: 'decline', callId: m.callId });
      // The origin answers a caller who finds the line busy with a text, so they know to try again.
      if (busy && this.config.busyReply && this.sendMessage(m.number, this.config.busyReply)) {
        this.emit('auto-reply', { to: m.number, text: this.config.busyReply });
      }
      return;
    }
    const host = this.pbx!.port ? `${this.pbx!.host}:${this.pbx!.port}` : this.pbx!.host;
    const call = handleWhatsAppToSip({ phone: this.phoneEnd(), sipLineId: this.config.id, log: this.log, ua: this.account.ua, pbxHost: host, extension: ext, rtpTimeoutS: this.deps.mediaConfig.rtpTimeoutS }, m);
    this.assignCall(call);
    this.deps.onCall(this, call);
  }
}
