/**
 * What the station keeps of every call, from its start: the latest calls, the call record, the policy
 * counters its end feeds, an events-panel entry when a rule refused it or it failed, and today's
 * figures of every line (SQL over the day's records and the policy counters).
 */
import type { StationLogEntry } from '../api/types';
import type { Call } from '../calls/call';
import { recordCall } from '../calls/call-recorder';
import { recordCallAudio, recordingApplies } from '../calls/call-audio-recording';
import type { CallLog } from '../calllog/call-log';
import { lineToday, type LineToday } from '../calllog/line-today';
import type { StationConfig } from '../config/schema';
import type { PolicyEngine } from '../policy/policy-engine';
import { Emitter } from '../util/emitter';
import { createLogger } from '../util/log';
import type { Db } from '../util/sqlite';
import type { Line } from './line';
import type { LineRegistry } from './line-registry';

export interface CallCountersDeps {
  db: Db;
  callLog: CallLog;
  policy: PolicyEngine;
  /** The configuration in force: the PBX a line's record names. */
  config(): StationConfig;
  /** The lines whose calls are counted and whose figures are kept. */
  registry: LineRegistry;
  /** Where calls are recorded (config `recording`), and the files being written now. */
  recordings?: { folder(): string | null; busy: Set<string> };
  /** An entry for the events panel. */
  note(level: StationLogEntry['level'], kind: StationLogEntry['kind'], lineId: string, message: string, tag?: string): void;
}

const RECENT_CALLS = 200;
/** Today's figures are recomputed at most this often under a stream of calls. */
const TODAY_SOON_MS = 500;
/** ... and at least this often, for the day's rollover. */
const TODAY_EVERY_MS = 60_000;

/** `call`: every call the station counts, as it starts (the registry's and the operator's test dials). */
export class CallCounters extends Emitter<{ change: []; call: [Call, Line] }> {
  /** The latest calls, oldest first (also those refused before any phone was involved). */
  readonly recent: Call[] = [];
  private figures = new Map<string, LineToday>();
  private timer: NodeJS.Timeout | null = null;
  private pending: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly log = createLogger('calls');

  constructor(private readonly deps: CallCountersDeps) {
    super();
    deps.registry.on('call', (call, line) => this.started(call, line));
    deps.registry.on('lines', () => this.refresh());
  }

  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), TODAY_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
  }

  /** A line's figures for today, as last computed. */
  today(lineId: string): LineToday | null {
    return this.figures.get(lineId) ?? null;
  }

  /** Recomputes today's figures now (the lines changed). */
  refresh(): void {
    if (this.stopped) return;
    this.figures = lineToday(this.deps.db, this.deps.policy, this.deps.registry.lines.map((l) => l.config.id));
  }

  /**
   * A call started on `line` (for a PBX user's call, the line the PBX called): follow it to its end. The
   * registry's calls are counted from its events; the operator's test dials are handed in.
   */
  started(call: Call, line: Line): void {
    const { policy } = this.deps;
    this.emit('call', call, line);
    this.recent.push(call);
    if (this.recent.length > RECENT_CALLS) this.recent.shift();
    const pbx = this.deps.config().pbx.find((p) => p.id === line.config.pbx);
    // Test dials and echo tests have no SIP leg: their records name no SIP account (not a bare "@").
    const sipLeg = (call.direction === 'sip-to-whatsapp' || call.direction === 'whatsapp-to-sip') && line.config.user !== '';
    const sipAccount = sipLeg ? `${line.config.user}@${pbx?.host ?? line.config.pbx}` : null;
    const recordId = recordCall(this.deps.callLog, call, { id: line.config.id, serial: line.config.serial, sipAccount }, this.log);
    const recordings = this.deps.recordings;
    if (recordId && recordings && recordingApplies(this.deps.config().recording, line.config, call.direction)) {
      recordCallAudio(call, recordId, { folder: recordings.folder(), callLog: this.deps.callLog, busy: recordings.busy, log: this.log });
    }
    if (call.direction === 'whatsapp-to-sip') policy.noteInbound(line.config.id, call.number);
    // Today's figures follow the call's states (a call in progress counts), not its stats ticks.
    let lastState = call.state;
    this.soon();
    // What went wrong with the call's audio or its SIP end, said on the line that carries it.
    const lineOf = () => call.phone?.lineId ?? line.config.id;
    call.on('alarm', (alarm, text) => alarm.kind === 'one-way' && this.deps.note('warn', 'audio', lineOf(), `call with ${call.number || '(no number)'}: ${text}`));
    let causeNoted = false;
    call.on('change', (view) => {
      if (!view.endCause || causeNoted) return;
      causeNoted = true;
      this.deps.note('error', 'call', lineOf(), `call with ${view.number || '(no number)'} ended abnormally: ${view.endReason ?? view.endCause}`, 'abnormal-end');
    });
    call.on('change', (view) => {
      if (view.state === lastState) return;
      lastState = view.state;
      this.soon();
      if (view.state !== 'ended') return;
      if (view.rule) this.deps.note('warn', 'rule', line.config.id, `call to ${view.number || '(no number)'} from ${view.callerId || '(no caller-ID)'} refused by ${view.rule}`);
      else if (view.outcome === 'error') this.deps.note('error', 'call', line.config.id, `call to ${view.number || '(no number)'} ${view.endReason ? `ended: ${view.endReason}` : 'failed on the phone'}`);
      // A test dial is a WhatsApp call from the account like any other: WhatsApp's limits count it.
      if ((call.direction !== 'sip-to-whatsapp' && call.direction !== 'test-dial') || !call.number) return;
      const endedAt = Date.now();
      const answeredAt = call.whatsappAnsweredAt ?? call.answeredAt;
      policy.recordOutbound({
        line: call.phone?.lineId ?? line.config.id,
        callerId: call.callerId,
        number: call.number,
        outcome: call.outcome ?? 'error',
        hangupSide: call.hangupSide,
        answered: call.whatsappAnsweredAt !== null || (call.answeredAt !== null && call.outcome === 'answered'),
        talkS: answeredAt ? (endedAt - answeredAt.getTime()) / 1000 : null,
        endedAt,
      });
    });
  }

  /**
   * Today's figures are SQL over the day's records and the policy counters of every line: under a
   * stream of calls they are recomputed at most twice a second, not at every state of every call.
   */
  private soon(): void {
    this.pending ??= setTimeout(() => {
      this.pending = null;
      this.refresh();
      this.emit('change');
    }, TODAY_SOON_MS);
  }
}
