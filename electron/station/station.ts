/**
 * The headless station core: builds its components, starts them in order and stops them in reverse.
 * It runs inside the Electron main process and on its own under `npm run serve`; nothing here imports
 * electron.
 *
 * Start order: SIP safety and timers, the media engine (worker threads), the device manager (adb),
 * then the lines (which register once their phone is ready).
 */
import type { StationEvent } from './api/contract';
import type { LineToday, LineView, StationInfo } from './api/types';
import type { Invitation } from 'sip.js';
import type { Call } from './calls/call';
import { handleOutbound } from './calls/sip-to-whatsapp';
import { PromptLibrary } from './media/prompt-player';
import { CallLog } from './calllog/call-log';
import { startRetention } from './calllog/call-log-retention';
import { recordCall } from './calls/call-recorder';
import { MessageLog } from './calllog/message-log';
import { lineToday } from './calllog/line-today';
import { saveConfig } from './config/config-file';
import { emptyConfig, type StationConfig } from './config/schema';
import { redactConfig, validateSettings } from './config/settings';
import { EventLog } from './events/event-log';
import { LineWatch } from './events/line-watch';
import { DeviceManager, type DeviceManagerOptions } from './devices/device-manager';
import { Line, type LineDeps } from './lines/line';
import { huntedCallLog, pickPhone } from './lines/hunting';
import { listLines } from './lines/line-registry';
import { MediaEngine } from './media/media-engine';
import { TestDial } from './operator/test-dial';
import { PolicyEngine } from './policy/policy-engine';
import { installSipSafety } from './sip/sip-safety';
import { configureSipTimers } from './sip/sip-timers';
import { Emitter } from './util/emitter';
import { createLogger } from './util/log';
import { openDatabase, type Db } from './util/sqlite';

export interface StationOptions {
  config?: StationConfig;
  devices?: DeviceManagerOptions;
  /** How long a line stays registered after its phone went (default 10 s). */
  unregisterGraceMs?: number;
  /** The SQLite file for call records, messages and policy counters; in memory when absent. */
  databaseFile?: string;
  /** Where settings.save writes the configuration; in memory only when absent. */
  configFile?: string;
  /** Writes the configuration (the desktop app seals the passwords first); default saveConfig. */
  persistConfig?: (file: string, config: StationConfig) => Promise<void>;
  /** How passwords are kept at rest, as settings tells the operator. */
  secrets?: 'encrypted' | 'plain';
  /** Demo mode: virtual phones and these simulated WhatsApp contacts. */
  demo?: { contacts: StationInfo['demoContacts'] };
}

type StationEvents = { change: []; event: [StationEvent] };

class StationBus extends Emitter<StationEvents> {
  send<K extends keyof StationEvents>(event: K, ...args: StationEvents[K]): void {
    this.emit(event, ...args);
  }
}

export const STATION_VERSION = '0.1.0';
const RECENT_CALLS = 200;

export class Station {
  readonly devices: DeviceManager;
  config: StationConfig;
  media: MediaEngine | null = null;
  lineList: Line[] = [];
  db: Db | null = null;
  messages: MessageLog | null = null;
  callLog: CallLog | null = null;
  private stopRetention: (() => void) | null = null;
  private stopHeartbeat: (() => void) | null = null;
  policy: PolicyEngine | null = null;
  prompts: PromptLibrary;
  /** The latest calls, oldest first (also those refused before any phone was involved). */
  readonly recentCalls: Call[] = [];
  private removeSipSafety: (() => void) | null = null;
  private readonly log = createLogger('station');
  /** The events panel. */
  readonly events = new EventLog();
  private readonly bus = new StationBus();
  private readonly watch = new LineWatch(this.events);
  private watchTimer: NodeJS.Timeout | null = null;
  private today = new Map<string, LineToday>();
  private todayTimer: NodeJS.Timeout | null = null;
  private todayPending: NodeJS.Timeout | null = null;
  /** The operator's test dial from the PC headset, and the line echo test. */
  testDial: TestDial | null = null;
  private stopping = false;

  constructor(private readonly opts: StationOptions = {}) {
    this.config = opts.config ?? emptyConfig();
    this.prompts = new PromptLibrary(this.config.prompts);
    this.devices = new DeviceManager({ software: STATION_VERSION, ...opts.devices });
    this.events.on('entry', (entry) => this.publish({ event: 'log', data: entry }));
    this.devices.on('change', () => this.changed());
  }

  async start(): Promise<void> {
    this.removeSipSafety = installSipSafety();
    configureSipTimers();
    this.db = openDatabase(this.opts.databaseFile ?? ':memory:');
    this.messages = new MessageLog(this.db);
    this.callLog = new CallLog(this.db);
    // Calls that were in progress when the station last died are closed as interrupted.
    const interrupted = this.callLog.recoverInterrupted();
    if (interrupted) this.log.warn(`${interrupted} call records were left open by the last run; marked interrupted`);
    // Open records are marked alive every 2 s: if the station dies, their end is known to that.
    this.stopHeartbeat = this.callLog.startHeartbeat();
    this.policy = new PolicyEngine(this.db, this.config.policy);
    // A missing or malformed prompt file is a configuration error: say so now, not mid-call.
    this.prompts.check();
    this.media = await MediaEngine.start();
    await this.devices.start();
    this.buildLines();
    this.testDial = new TestDial({
      devices: this.devices,
      line: (id) => this.line(id),
      config: () => this.config,
      started: (call, line) => this.callStarted(call, line),
      publish: (view) => this.publish({ event: 'testDial', data: view }),
      audioStatus: () => this.publish({ event: 'info', data: this.info() }),
      media: () => this.media,
    });
    // A phone no line claims is a line too (without SIP), from the moment adb lists it.
    this.devices.on('added', () => this.addSpareLines());
    this.stopRetention = startRetention(this.callLog, () => this.config.callLog, this.log);
    this.refreshToday();
    this.todayTimer = setInterval(() => this.refreshToday(), 60_000);
    this.todayTimer.unref();
    if (this.config.pbx.length === 0) this.events.add('warn', 'config', null, 'no PBX is configured: the lines cannot register; open Settings to connect one');
    this.log.info(`station started: ${this.config.lines.length} configured lines`);
  }

  private lineDeps(): LineDeps {
    const config = (): StationConfig => this.config;
    return {
      devices: this.devices,
      media: this.media!,
      mediaConfig: this.config.media,
      unregisterGraceMs: this.opts.unregisterGraceMs,
      onInvite: (line, invitation) => this.outbound(line, invitation),
      onCall: (line, call) => this.callStarted(call, line),
      get noPbxReason() {
        return config().pbx.length === 0 ? 'no PBX configured: open Settings to connect one' : 'no SIP account configured for this phone';
      },
    };
  }

  private startLine(line: Line): Line {
    line.on('change', () => this.changed());
    this.wireMessages(line);
    line.start();
    return line;
  }

  /** Lines for the configuration: one per SIP account, plus one per phone no account claims. */
  private buildLines(keep: readonly Line[] = []): void {
    const pbxById = new Map(this.config.pbx.map((p) => [p.id, p]));
    const kept = new Map(keep.map((l) => [l.config.id, l]));
    const configured = this.config.lines.map((cfg) => kept.get(cfg.id) ?? this.startLine(new Line(cfg, pbxById.get(cfg.pbx)!, this.lineDeps())));
    this.lineList = [...configured, ...keep.filter((l) => !l.hasSip)];
    this.addSpareLines();
  }

  private addSpareLines(): void {
    if (this.stopping || !this.media) return;
    const claimed = new Set(this.lineList.map((l) => l.config.serial));
    for (const d of this.devices.devices) {
      if (!claimed.has(d.serial)) this.lineList.push(this.startLine(Line.sipless(d.serial, this.lineDeps())));
    }
    this.refreshToday();
    this.changed();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.watchTimer) clearTimeout(this.watchTimer);
    if (this.todayTimer) clearInterval(this.todayTimer);
    if (this.todayPending) clearTimeout(this.todayPending);
    await this.testDial?.stop();
    await Promise.all(this.lineList.map((l) => l.stop()));
    await this.devices.stop();
    await this.media?.stop();
    this.stopRetention?.();
    this.stopHeartbeat?.();
    this.db?.close();
    this.removeSipSafety?.();
    this.log.info('station stopped');
  }

  /** A PBX user's call arrived on a line: route it, pick the phone, and follow it to its end. */
  private outbound(sipLine: Line, invitation: Invitation): void {
    const { log, carriedBy } = huntedCallLog(sipLine.config.id);
    handleOutbound(
      {
        rules: this.config.routing,
        prompts: this.prompts,
        log,
        pickPhone: (call, req) => {
          const picked = pickPhone(this.lineList, sipLine, this.policy!, this.config.routing.hunting, req);
          if ('refused' in picked) return picked;
          carriedBy(picked.line.config.id);
          picked.line.assignCall(call);
          return picked;
        },
        started: (c) => this.callStarted(c, sipLine),
      },
      { id: sipLine.config.id, user: sipLine.config.user, codecs: sipLine.config.codecs },
      invitation,
    );
  }

  /** Every call, from its start: its end feeds the policy counters. */
  private callStarted(call: Call, line: Line): void {
    this.recentCalls.push(call);
    if (this.recentCalls.length > RECENT_CALLS) this.recentCalls.shift();
    if (this.callLog) {
      const pbx = this.config.pbx.find((p) => p.id === line.config.pbx);
      recordCall(this.callLog, call, { id: line.config.id, serial: line.config.serial, sipAccount: `${line.config.user}@${pbx?.host ?? line.config.pbx}` }, this.log);
    }
    if (call.direction === 'whatsapp-to-sip') this.policy?.noteInbound(line.config.id, call.number);
    // Today's figures follow the call's states (a call in progress counts), not its stats ticks.
    let lastState = call.state;
    this.todaySoon();
    call.on('change', (view) => {
      if (view.state === lastState) return;
      lastState = view.state;
      this.todaySoon();
      if (view.state !== 'ended') return;
      if (view.rule) this.events.add('warn', 'rule', line.config.id, `call to ${view.number || '(no number)'} from ${view.callerId || '(no caller-ID)'} refused by ${view.rule}`);
      else if (view.outcome === 'error') this.events.add('error', 'call', line.config.id, `call to ${view.number || '(no number)'} ${view.endReason ? `ended: ${view.endReason}` : 'failed on the phone'}`);
      // A test dial is a WhatsApp call from the account like any other: WhatsApp's limits count it.
      if ((call.direction !== 'sip-to-whatsapp' && call.direction !== 'test-dial') || !call.number) return;
      this.policy?.recordOutbound({
        line: call.phone?.lineId ?? line.config.id,
        callerId: call.callerId,
        number: call.number,
        outcome: call.outcome ?? 'error',
        hangupSide: call.hangupSide,
        answered: call.whatsappAnsweredAt !== null || (call.answeredAt !== null && call.outcome === 'answered'),
        endedAt: Date.now(),
      });
    });
  }

  /** Records a line's WhatsApp messages and forwards them by the configured rules. */
  private wireMessages(line: Line): void {
    const id = line.config.id;
    line.on('auto-reply', (r) => this.messages?.record({ lineId: id, direction: 'auto-reply', peer: r.to, name: '', text: r.text, at: Date.now() }));
    line.on('whatsapp-message', (m) => {
      this.policy?.noteInbound(id, m.from);
      this.messages?.record({ lineId: id, direction: 'received', peer: m.from, name: m.name, text: m.text, at: m.time || Date.now() });
      for (const rule of this.config.messages.forward) {
        if (rule.line && rule.line !== id) continue;
        const to = rule.toNumber ?? `group:${rule.toGroup}`;
        const text = `From +${m.from}${m.name ? ` (${m.name})` : ''} on ${id}: ${m.text}`;
        if (line.sendMessage(to, text)) this.messages?.record({ lineId: id, direction: 'forwarded', peer: to, name: '', text, at: Date.now() });
        else this.log.warn(`line ${id}: could not forward a message to ${to}: the phone is not reachable`);
      }
    });
  }

  /** Calls `listener` whenever a line or a phone changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    return this.bus.on('change', listener);
  }

  /** The pushed events other than the grid (events panel, test dial, station info). */
  onEvent(listener: (event: StationEvent) => void): () => void {
    return this.bus.on('event', listener);
  }

  publish(event: StationEvent): void {
    this.bus.send('event', event);
  }

  private changed(): void {
    this.bus.send('change');
    // The events panel compares snapshots at most 10 times a second, not on every RTP stats tick.
    this.watchTimer ??= setTimeout(() => {
      this.watchTimer = null;
      if (!this.stopping) this.watch.update(this.lines());
    }, 100);
  }

  /**
   * Today's figures are SQL over the day's records and the policy counters of every line: under a
   * stream of calls they are recomputed at most twice a second, not at every state of every call.
   */
  private todaySoon(): void {
    this.todayPending ??= setTimeout(() => {
      this.todayPending = null;
      this.refreshToday();
      this.changed();
    }, 500);
  }

  private refreshToday(): void {
    if (!this.db || this.stopping) return;
    this.today = lineToday(this.db, this.policy, this.lineList.map((l) => l.config.id));
  }

  lines(): LineView[] {
    return listLines(this.lineList).map((v) => ({ ...v, today: this.today.get(v.id) ?? null }));
  }

  info(): StationInfo {
    return {
      version: STATION_VERSION,
      demo: !!this.opts.demo,
      demoContacts: this.opts.demo?.contacts ?? [],
      pbxConfigured: this.config.pbx.length > 0,
      audio: this.testDial?.audioStatus ?? { available: false, reason: 'the station is not started' },
      echoNumber: this.config.routing.echoContact ?? null,
    };
  }

  /** The configuration as the settings page shows it: passwords masked. */
  settings(): { config: StationConfig; file: string | null; secrets: 'encrypted' | 'plain' } {
    return { config: redactConfig(this.config), file: this.opts.configFile ?? null, secrets: this.opts.secrets ?? 'plain' };
  }

  /**
   * Validates an edited configuration, saves it and applies it: lines whose account, PBX and media
   * settings are unchanged keep running (and their calls); the others are rebuilt. Refused, changing
   * nothing, when a line that would be rebuilt carries a call.
   */
  async saveSettings(doc: unknown): Promise<{ config: StationConfig; file: string | null }> {
    const next = validateSettings(doc, this.config);
    const unchanged = (l: Line): boolean => {
      const cfg = next.lines.find((c) => c.id === l.config.id);
      const pbx = cfg && next.pbx.find((p) => p.id === cfg.pbx);
      return !!cfg && JSON.stringify(cfg) === JSON.stringify(l.config) && JSON.stringify(pbx) === JSON.stringify(l.pbx) && JSON.stringify(next.media) === JSON.stringify(this.config.media);
    };
    const keep = this.lineList.filter((l) => l.hasSip && unchanged(l));
    const drop = this.lineList.filter((l) => !keep.includes(l) && (l.hasSip || next.lines.some((c) => c.serial === l.config.serial)));
    const busy = drop.find((l) => l.busy);
    if (busy) throw new Error(`line ${busy.config.id} is in a call and would be rebuilt: save again when the call has ended`);
    const prompts = new PromptLibrary(next.prompts);
    prompts.check();
    const file = this.opts.configFile ?? null;
    if (file) await (this.opts.persistConfig ?? ((f, c) => saveConfig(f, c).then(() => undefined)))(file, next);
    this.config = next;
    this.prompts = prompts;
    this.policy?.updateConfig(next.policy);
    await Promise.all(drop.map((l) => l.stop()));
    const spare = this.lineList.filter((l) => !l.hasSip && !drop.includes(l));
    this.buildLines([...keep, ...spare]);
    this.refreshToday();
    this.events.add('info', 'config', null, `settings saved${file ? ` to ${file}` : ''}: ${next.pbx.length} PBX, ${next.lines.length} lines (${drop.length} rebuilt)`);
    this.publish({ event: 'info', data: this.info() });
    return { config: redactConfig(next), file };
  }

  line(id: string): Line | undefined {
    return this.lineList.find((l) => l.config.id === id);
  }
}
