/**
 * The headless station core: builds its components, starts them in order and stops them in reverse.
 * It runs inside the Electron main process and on its own under `npm run serve`; nothing here imports
 * electron.
 *
 * Start order: SIP safety and timers, the media engine (worker threads), the device manager (adb),
 * then the lines (which register once their phone is ready).
 */
import type { LineView } from './api/types';
import type { Invitation } from 'sip.js';
import type { Call } from './calls/call';
import { handleOutbound } from './calls/outbound-flow';
import { PromptLibrary } from './calls/prompt-player';
import { CallLog } from './calllog/call-log';
import { startRetention } from './calllog/call-log-retention';
import { recordCall } from './calllog/call-recorder';
import { MessageLog } from './calllog/message-log';
import { emptyConfig, type StationConfig } from './config/schema';
import { DeviceManager, type DeviceManagerOptions } from './devices/device-manager';
import { Line } from './lines/line';
import { pickPhone } from './lines/hunting';
import { listLines } from './lines/line-registry';
import { MediaEngine } from './media/media-engine';
import { PolicyEngine } from './policy/policy-engine';
import { installSipSafety } from './sip/sip-safety';
import { configureSipTimers } from './sip/sip-timers';
import { createLogger } from './util/log';
import { openDatabase, type Db } from './util/sqlite';

export interface StationOptions {
  config?: StationConfig;
  devices?: DeviceManagerOptions;
  /** How long a line stays registered after its phone went (default 10 s). */
  unregisterGraceMs?: number;
  /** The SQLite file for call records, messages and policy counters; in memory when absent. */
  databaseFile?: string;
}

export const STATION_VERSION = '0.1.0';
const RECENT_CALLS = 200;

export class Station {
  readonly devices: DeviceManager;
  readonly config: StationConfig;
  media: MediaEngine | null = null;
  lineList: Line[] = [];
  db: Db | null = null;
  messages: MessageLog | null = null;
  callLog: CallLog | null = null;
  private stopRetention: (() => void) | null = null;
  policy: PolicyEngine | null = null;
  prompts: PromptLibrary;
  /** The latest calls, oldest first (also those refused before any phone was involved). */
  readonly recentCalls: Call[] = [];
  private removeSipSafety: (() => void) | null = null;
  private readonly log = createLogger('station');

  constructor(private readonly opts: StationOptions = {}) {
    this.config = opts.config ?? emptyConfig();
    this.prompts = new PromptLibrary(this.config.prompts);
    this.devices = new DeviceManager({ software: STATION_VERSION, ...opts.devices });
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
    this.policy = new PolicyEngine(this.db, this.config.policy);
    // A missing or malformed prompt file is a configuration error: say so now, not mid-call.
    this.prompts.check();
    this.media = await MediaEngine.start();
    await this.devices.start();
    const pbxById = new Map(this.config.pbx.map((p) => [p.id, p]));
    this.lineList = this.config.lines.map(
      (cfg) =>
        new Line(cfg, pbxById.get(cfg.pbx)!, {
          devices: this.devices,
          media: this.media!,
          mediaConfig: this.config.media,
          unregisterGraceMs: this.opts.unregisterGraceMs,
          onInvite: (line, invitation) => this.outbound(line, invitation),
          onCall: (line, call) => this.callStarted(call, line),
        }),
    );
    for (const line of this.lineList) {
      this.wireMessages(line);
      line.start();
    }
    this.stopRetention = startRetention(this.callLog, () => this.config.callLog, this.log);
    this.log.info(`station started: ${this.lineList.length} configured lines`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.lineList.map((l) => l.stop()));
    await this.devices.stop();
    await this.media?.stop();
    this.stopRetention?.();
    this.db?.close();
    this.removeSipSafety?.();
    this.log.info('station stopped');
  }

  /** A PBX user's call arrived on a line: route it, pick the phone, and follow it to its end. */
  private outbound(sipLine: Line, invitation: Invitation): void {
    const log = createLogger('calls', { line: sipLine.config.id });
    handleOutbound(
      {
        rules: this.config.routing,
        prompts: this.prompts,
        log,
        pickPhone: (call, req) => {
          const picked = pickPhone(this.lineList, sipLine, this.policy!, this.config.routing.hunting, req);
          if ('refused' in picked) return picked;
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
    call.on('change', (view) => {
      if (view.state !== 'ended' || call.direction !== 'sip-to-whatsapp' || !call.number) return;
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
    const offs = [this.devices.on('change', () => listener()), ...this.lineList.map((l) => l.on('change', () => listener()))];
    return () => offs.forEach((off) => off());
  }

  lines(): LineView[] {
    return listLines(this.lineList, this.devices);
  }

  line(id: string): Line | undefined {
    return this.lineList.find((l) => l.config.id === id);
  }
}
