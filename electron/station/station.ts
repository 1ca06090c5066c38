/**
 * The headless station core: builds its components, starts them in order and stops them in reverse.
 * It runs inside the Electron main process and on its own under `npm run serve`; nothing here imports
 * electron.
 *
 * Start order: SIP safety and timers, the database (call log, messages), the alarms, the policy, the
 * prompts, the media engine (worker threads), the device manager (adb), the call counters, the lines (which
 * register once their phone is ready), the test dial, the call log's retention.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StationEvent } from './api/contract';
import type { LineView, StationInfo } from './api/types';
import type { DemoControls } from './demo';
import { PromptLibrary } from './media/prompt-player';
import { CallLog } from './calllog/call-log';
import { startRetention } from './calllog/call-log-retention';
import { startRecordingRetention } from './calllog/recording-retention';
import { MessageLog } from './calllog/message-log';
import { saveConfig } from './config/config-file';
import { emptyConfig, stationIdOf, type StationConfig } from './config/schema';
import { redactConfig, validateSettings } from './config/settings';
import { AlarmService } from './alarms/alarm-service';
import { EventLog } from './events/event-log';
import { LineWatch } from './events/line-watch';
import { DeviceManager, type DeviceManagerOptions } from './devices/device-manager';
import { CallCounters } from './lines/call-counters';
import type { Line } from './lines/line';
import { LineRegistry } from './lines/line-registry';
import { forwardMessages } from './lines/message-forwarding';
import { MediaEngine } from './media/media-engine';
import { RegistrationTest } from './operator/registration-test';
import { TestDial } from './operator/test-dial';
import { pauseText } from './policy/lock-after';
import { PolicyEngine } from './policy/policy-engine';
import { installSipSafety } from './sip/sip-safety';
import { configureSipTimers, type SipTimerValues } from './sip/sip-timers';
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
  /**
   * SIP timers T1/T2/T4 (RFC 3261 Table 4); RFC 3261's own values when absent. A lower T1 suits a PBX
   * on the same LAN (RFC 3261 17.1.1.1 allows it) and shortens every derived timeout with it, such as
   * the 64*T1 the station waits for an ACK before it ends a call as "no ACK from the PBX".
   */
  sipTimers?: Partial<SipTimerValues>;
  /** The data folder: call recordings go to its `recording.folder`; none are made without it. */
  dataDir?: string;
  /** Demo mode: virtual phones and their simulated WhatsApp contacts (demo.ts). */
  demo?: DemoControls;
}

type StationEvents = { change: []; event: [StationEvent] };

class StationBus extends Emitter<StationEvents> {
  send<K extends keyof StationEvents>(event: K, ...args: StationEvents[K]): void {
    this.emit(event, ...args);
  }
}

export const STATION_VERSION = '0.1.0';

export class Station {
  readonly devices: DeviceManager;
  config: StationConfig;
  prompts: PromptLibrary;
  db: Db | null = null;
  messages: MessageLog | null = null;
  callLog: CallLog | null = null;
  policy: PolicyEngine | null = null;
  media: MediaEngine | null = null;
  counters: CallCounters | null = null;
  registry: LineRegistry | null = null;
  /** The operator's test dial from the PC headset, and the line echo test. */
  testDial: TestDial | null = null;
  /** The settings page's registration test of a PBX or line before it is saved. */
  readonly registrationTest = new RegistrationTest(() => this.config);
  /** The events panel. */
  readonly events = new EventLog();
  /** Alarm rules on the events, and their delivery (webhooks, email, WhatsApp) with the call-record webhook. */
  alarms: AlarmService | null = null;

  /** Where call recordings are written and served from (null without a data folder). */
  get recordingsDir(): string | null {
    return this.opts.dataDir ? join(this.opts.dataDir, this.config.recording.folder) : null;
  }
  private readonly log = createLogger('station');
  private readonly bus = new StationBus();
  private readonly watch = new LineWatch(this.events);
  /** How to stop what has started, in start order. */
  private readonly started: Array<() => unknown> = [];

  constructor(private readonly opts: StationOptions = {}) {
    this.config = opts.config ?? emptyConfig();
    this.prompts = new PromptLibrary(this.config.prompts);
    this.devices = new DeviceManager({ software: STATION_VERSION, ...opts.devices });
    this.events.on('entry', (entry) => this.publish({ event: 'log', data: entry }));
    this.devices.on('change', () => this.changed());
  }

  async start(): Promise<void> {
    this.started.push(installSipSafety());
    configureSipTimers(this.opts.sipTimers);
    const db = (this.db = openDatabase(this.opts.databaseFile ?? ':memory:'));
    this.started.push(() => db.close());
    const messages = (this.messages = new MessageLog(db));
    const callLog = (this.callLog = new CallLog(db));
    // Calls that were in progress when the station last died are closed as interrupted.
    const interrupted = callLog.recoverInterrupted();
    if (interrupted) this.log.warn(`${interrupted} call records were left open by the last run; marked interrupted`);
    // Open records are marked alive every 2 s: if the station dies, their end is known to that.
    this.started.push(callLog.startHeartbeat());
    this.adoptPhoneRecords();
    const alarms = (this.alarms = new AlarmService({ db, events: this.events, config: () => this.config, sendWhatsApp: (id, to, text) => this.line(id)?.sendMessage(to, text) ?? false }));
    alarms.start();
    this.started.push(() => alarms.stop(), callLog.onFinished((record) => alarms.callRecord(record)));
    const policy = (this.policy = new PolicyEngine(db, this.config.policy));
    this.started.push(this.watchPauses(policy));
    // A missing or malformed prompt file is a configuration error: say so now, not mid-call.
    this.prompts.check();
    const media = (this.media = await MediaEngine.start());
    this.started.push(() => media.stop());
    await this.devices.start();
    this.started.push(() => this.devices.stop());
    const config = (): StationConfig => this.config;
    const registry = (this.registry = new LineRegistry({ devices: this.devices, media, policy, config, prompts: () => this.prompts, unregisterGraceMs: this.opts.unregisterGraceMs }));
    const recordings = { folder: () => this.recordingsDir, busy: new Set<string>() };
    const counters = (this.counters = new CallCounters({ db, callLog, policy, config, registry, recordings, note: (...entry) => this.events.add(...entry) }));
    counters.start();
    this.started.push(() => counters.stop());
    registry.on('added', (line) => forwardMessages(line, { messages, policy, config }));
    registry.on('change', () => this.changed());
    counters.on('change', () => this.changed());
    registry.start();
    this.started.push(() => registry.stop());
    const testDial = (this.testDial = new TestDial({
      devices: this.devices,
      line: (id) => this.line(id),
      config,
      started: (call, line) => counters.started(call, line),
      publish: (view) => this.publish({ event: 'testDial', data: view }),
      audioStatus: () => this.publish({ event: 'info', data: this.info() }),
      media: () => this.media,
    }));
    this.started.push(() => testDial.stop());
    this.started.push(startRetention(callLog, () => this.config.callLog, this.log));
    if (this.recordingsDir) {
      const folder = this.recordingsDir;
      this.started.push(startRecordingRetention({ folder, settings: () => this.config.recording, callLog, busy: () => recordings.busy, log: this.log }));
    }
    if (this.config.pbx.length === 0) this.events.add('warn', 'config', null, 'no PBX is configured: the lines cannot register; open Settings to connect one');
    this.log.info(`station started: ${this.config.lines.length} configured lines`);
  }

  async stop(): Promise<void> {
    this.watch.stop();
    while (this.started.length > 0) await this.started.pop()!();
    this.log.info('station stopped');
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
    this.watch.soon(() => this.lines());
  }

  lines(): LineView[] {
    return (this.registry?.views() ?? []).map((v) => ({ ...v, today: this.counters?.today(v.id) ?? null, paused: this.pauseView(v.id) }));
  }

  /** The operator takes a paused line back into service; false when it was not paused. */
  liftPause(lineId: string): boolean {
    return this.policy?.liftPause(lineId) ?? false;
  }

  private pauseView(lineId: string): LineView['paused'] {
    const p = this.policy?.pauseOf(lineId);
    return p ? { ...p, since: new Date(p.since).toISOString(), until: new Date(p.until).toISOString() } : null;
  }

  /**
   * Lock-after pauses in the events panel (error when a line pauses, info when it takes calls again)
   * and on the lines; a pause that ran out ends within a second.
   */
  private watchPauses(policy: PolicyEngine): () => void {
    const offs = [
      policy.locks.on('paused', (line, p) => {
        this.events.add('error', 'pause', line, `lock-after: ${pauseText(line, p)}`);
        this.changed();
      }),
      policy.locks.on('resumed', (line, why) => {
        this.events.add('info', 'pause', line, `lock-after: line ${line} takes calls again: ${why}`);
        this.changed();
      }),
    ];
    const timer = setInterval(() => policy.sweepPauses(), 1000);
    timer.unref();
    return () => {
      clearInterval(timer);
      for (const off of offs) off();
    };
  }

  /** The id every exported call record carries (config `stationId`, default the host name). */
  get stationId(): string {
    return stationIdOf(this.config);
  }

  line(id: string): Line | undefined {
    return this.registry?.line(id);
  }

  /** The demo's simulated WhatsApp, or null when the station runs real phones. */
  get demo(): DemoControls | null {
    return this.opts.demo ?? null;
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

  /** Records a phone made before it had a line id are filed under its line (CallLog.adoptPhoneRecords). */
  private adoptPhoneRecords(): void {
    const moved = this.callLog?.adoptPhoneRecords(this.config.lines) ?? 0;
    if (moved) this.log.info(`${moved} call records of phones without a line id filed under their lines`);
  }

  /** The configuration as the settings page shows it: passwords masked. */
  settings(): { config: StationConfig; file: string | null; fileExists: boolean; secrets: 'encrypted' | 'plain' } {
    const file = this.opts.configFile ?? null;
    return { config: redactConfig(this.config), file, fileExists: file !== null && existsSync(file), secrets: this.opts.secrets ?? 'plain' };
  }

  /**
   * Validates an edited configuration, saves it and applies it; the registry keeps the lines it can and
   * rebuilds the others, or refuses, changing nothing, when a line to rebuild carries a call.
   */
  async saveSettings(doc: unknown): Promise<{ config: StationConfig; file: string | null }> {
    const next = validateSettings(doc, this.config);
    const file = this.opts.configFile ?? null;
    const commit = async (): Promise<void> => {
      const prompts = new PromptLibrary(next.prompts);
      prompts.check();
      if (file) await (this.opts.persistConfig ?? ((f, c) => saveConfig(f, c).then(() => undefined)))(file, next);
      this.config = next;
      this.prompts = prompts;
      this.policy?.updateConfig(next.policy);
      this.alarms?.configChanged();
      this.adoptPhoneRecords();
    };
    const rebuilt = this.registry ? await this.registry.rebuild(next, commit) : (await commit(), []);
    this.events.add('info', 'config', null, `settings saved${file ? ` to ${file}` : ''}: ${next.pbx.length} PBX, ${next.lines.length} lines (${rebuilt.length} rebuilt)`);
    this.publish({ event: 'info', data: this.info() });
    return { config: redactConfig(next), file };
  }
}
