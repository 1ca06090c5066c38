/**
 * The station's alarms: the events panel feeds the rules, raised and cleared alarms and finished calls'
 * records go to the configured channels (webhooks, email, a WhatsApp text) through the on-disk queue,
 * and the console reads what is firing and what failed to go out.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AlarmsView, AlarmView, DeliveryFailure, StationLogEntry, TestAlarmResult } from '../api/types';
import type { CallRecord } from '../calllog/call-record';
import type { StationConfig } from '../config/schema';
import type { EventLog } from '../events/event-log';
import { createLogger } from '../util/log';
import type { Db } from '../util/sqlite';
import { ALARM_SEVERITIES, type AlarmSeverity } from '../values';
import { AlarmEngine } from './alarm-engine';
import { alarmRules } from './alarm-rules';
import { emailChannel, webhookChannel, whatsappChannel, type Channel } from './channels';
import { DeliveryQueue } from './delivery-queue';
import { Outbox } from './outbox';

const log = createLogger('alarms');
const FAILURES_KEPT = 100;

export interface AlarmServiceDeps {
  db: Db;
  events: EventLog;
  config(): StationConfig;
  /** Sends a WhatsApp text from a line's phone; false when the phone is not reachable. */
  sendWhatsApp(lineId: string, to: string, text: string): boolean;
  clock?: () => number;
}

interface Route {
  channel: Channel;
  /** Alarms at or above this severity; null: none. */
  minSeverity: AlarmSeverity | null;
  callRecords: boolean;
}

const worse = (a: AlarmSeverity, than: AlarmSeverity) => ALARM_SEVERITIES.indexOf(a) <= ALARM_SEVERITIES.indexOf(than);

/** The station id stamped on every delivery: the configured one (stationId), else the host name. */
export function stationIdOf(config: StationConfig): string {
  return (config as StationConfig & { stationId?: string }).stationId || hostname();
}

/** The channels of a configuration, each with what it takes. */
function routesOf(config: StationConfig, send: AlarmServiceDeps['sendWhatsApp']): Route[] {
  const w = config.webhooks;
  const routes: Route[] = w.receivers
    .filter((r) => r.enabled)
    .map((r) => ({ channel: webhookChannel(r, w.timeoutS * 1000), minSeverity: r.alarms === 'none' ? null : r.alarms, callRecords: r.callRecords }));
  if (config.email?.enabled) routes.push({ channel: emailChannel(config.email, w.timeoutS * 1000), minSeverity: config.email.minSeverity, callRecords: false });
  const wa = config.whatsappAlarms;
  if (wa?.enabled) routes.push({ channel: whatsappChannel(wa.line, wa.to, send), minSeverity: wa.minSeverity, callRecords: false });
  return routes;
}

export class AlarmService {
  readonly engine: AlarmEngine;
  private readonly queue: DeliveryQueue;
  private readonly outbox: Outbox;
  private readonly failures: DeliveryFailure[] = [];
  private readonly clock: () => number;
  private routes: Route[] = [];
  private routesOf: StationConfig | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly off: Array<() => void> = [];

  constructor(private readonly deps: AlarmServiceDeps) {
    this.clock = deps.clock ?? Date.now;
    this.engine = new AlarmEngine({
      rules: () => alarmRules(deps.config().alarms),
      serialOf: (id) => deps.config().lines.find((l) => l.id === id)?.serial ?? null,
      clock: this.clock,
    });
    this.queue = new DeliveryQueue(deps.db, this.clock);
    this.outbox = new Outbox({
      queue: this.queue,
      channel: (id) => this.current().find((r) => r.channel.id === id)?.channel,
      config: () => deps.config().webhooks,
      failed: (f) => this.failed(f),
      note: (level, message) => deps.events.add(level, 'alarm', null, message),
      clock: this.clock,
    });
  }

  start(): void {
    this.off.push(this.deps.events.on('entry', (entry) => this.observe(entry)));
    this.off.push(this.engine.on('raise', (a) => this.deliverAlarm(a, 'raise')));
    this.off.push(this.engine.on('clear', (a) => this.deliverAlarm(a, 'clear')));
    this.outbox.start(this.current().map((r) => r.channel.id));
  }

  stop(): void {
    for (const off of this.off.splice(0)) off();
    if (this.timer) clearTimeout(this.timer);
    this.outbox.stop();
  }

  /** Settings changed: the channels follow, and what waits for them is tried again now. */
  configChanged(): void {
    this.outbox.start(this.current().map((r) => r.channel.id));
  }

  /** A finished call: its record goes to every receiver that takes call records. */
  callRecord(record: CallRecord): void {
    const station = stationIdOf(this.deps.config());
    const body = JSON.stringify({ type: 'call-record', station, time: new Date(this.clock()).toISOString(), record });
    try {
      for (const r of this.current()) if (r.callRecords) this.outbox.push(r.channel.id, 'call-record', body, station);
    } catch (err) {
      // The call's own record is written; a queue that cannot be written is said, and calls go on.
      this.deps.events.add('error', 'alarm', record.lineId, `the record of call ${record.callId} cannot be queued for its webhook: ${(err as Error).message}`);
    }
  }

  view(): AlarmsView {
    return {
      firing: this.engine.firing(),
      recent: this.engine.recent(),
      receivers: this.current().map((r) => ({ id: r.channel.id, ...this.outbox.state(r.channel.id) })),
      failures: [...this.failures].reverse(),
    };
  }

  /** "Send test alarm": one alarm straight to every channel (not queued), with how each went. */
  async testAlarm(): Promise<TestAlarmResult[]> {
    const config = this.deps.config();
    const routes = this.current();
    if (routes.length === 0) return [];
    const now = new Date(this.clock()).toISOString();
    const body = JSON.stringify({
      type: 'alarm',
      test: true,
      id: randomUUID(),
      rule: 'test',
      severity: 'warning',
      state: 'raise',
      line: null,
      serial: null,
      message: 'Test alarm from the settings page: deliveries to this receiver work',
      time: now,
      firstAt: now,
      count: 1,
      station: stationIdOf(config),
    });
    return Promise.all(
      routes.map(async (r) => {
        const res = await r.channel.send({ deliveryId: randomUUID(), body });
        return { receiver: r.channel.id, delivered: res.ok, detail: res.detail };
      }),
    );
  }

  private current(): Route[] {
    const config = this.deps.config();
    if (config !== this.routesOf) {
      this.routesOf = config;
      try {
        this.routes = routesOf(config, this.deps.sendWhatsApp);
      } catch (err) {
        // A CA file that cannot be read: the other channels still work.
        this.deps.events.add('error', 'alarm', null, `alarm delivery is not set up: ${(err as Error).message}`);
        this.routes = [];
      }
    }
    return this.routes;
  }

  private observe(entry: StationLogEntry): void {
    if (entry.kind === 'alarm') return;
    this.engine.observe(entry);
    this.schedule();
  }

  /** Wakes the engine when its next hold-off or quiet period ends. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const due = this.engine.nextDueAt();
    if (due === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.engine.tick();
      this.schedule();
    }, Math.max(0, due - this.clock()));
    this.timer.unref();
  }

  private deliverAlarm(a: AlarmView, state: 'raise' | 'clear'): void {
    const config = this.deps.config();
    const station = stationIdOf(config);
    const body = JSON.stringify({
      type: 'alarm',
      id: a.id,
      rule: a.rule,
      severity: a.severity,
      state,
      line: a.lineId,
      serial: a.serial,
      message: state === 'clear' ? (a.clearMessage ?? a.message) : a.message,
      time: state === 'clear' ? a.clearedAt : a.lastAt,
      firstAt: a.firstAt,
      count: a.count,
      station,
    });
    log.child(a.lineId ? { line: a.lineId } : {}).info(`alarm ${a.rule} ${state}: ${a.message}`);
    for (const r of this.current()) if (r.minSeverity && worse(a.severity, r.minSeverity)) this.outbox.push(r.channel.id, 'alarm', body, station);
  }

  private failed(f: Omit<DeliveryFailure, 'at'>): void {
    this.failures.push({ ...f, at: new Date(this.clock()).toISOString() });
    if (this.failures.length > FAILURES_KEPT) this.failures.shift();
    this.deps.events.add('warn', 'alarm', null, `delivery to ${f.receiver} failed (${f.what}): ${f.reason}`);
  }
}
