/**
 * `GET /metrics`: the station in Prometheus text format, with prom-client, for Prometheus and Grafana
 * (docs/grafana-dashboard.json uses these names; README "Metrics" lists them).
 *
 * Two kinds of figures:
 *   counted as things happen: calls by line, direction and outcome, call duration and post-dial delay
 *     histograms, policy refusals by rule, registration attempts and failures (from each line's
 *     registration status as it changes);
 *   read at each scrape from the line views the console shows: lines by state, each line's
 *     registration and pause, its call's RTP loss and jitter, the agent link's round trip, the
 *     phone's battery and temperature, the alarms firing by severity.
 * Labels are line ids (configured, so bounded), directions, outcomes, states and rule ids; never
 * numbers. Nothing here runs on the media thread: the RTP figures are the stats the line views carry.
 * The process's own CPU, memory and event-loop lag are prom-client's default metrics.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LineView } from '../api/types';
import type { Call } from '../calls/call';
import type { Line } from '../lines/line';
import type { Station } from '../station';
import { ALARM_SEVERITIES, LINE_STATES } from '../values';

export interface StationMetrics {
  /** The exposition text of every metric. */
  text(): Promise<string>;
  readonly contentType: string;
  /**
   * Overrides the alarms-firing figure (severity "any") read from the station's alarms; null goes back
   * to reading them.
   */
  setAlarmsFiring(n: number | null): void;
  stop(): void;
}

const DURATION_BUCKETS = [5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const PDD_BUCKETS = [0.5, 1, 2, 3, 5, 8, 13, 20, 30];

/** Starts counting the station's calls and registrations; call after `station.start()`. */
export function createMetrics(station: Station): StationMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // The line views of the scrape in progress: every gauge below reads the same snapshot.
  let views: LineView[] = [];
  const perLine = (name: string, help: string, value: (v: LineView) => number | null): Gauge<'line'> =>
    new Gauge({
      name,
      help,
      labelNames: ['line'],
      registers,
      collect() {
        this.reset();
        for (const v of views) {
          const x = value(v);
          if (x !== null) this.set({ line: v.id }, x);
        }
      },
    });

  new Gauge({
    name: 'sip2wa_lines',
    help: 'Lines by state (disabled, no-device, registering, registered, failed, in-call).',
    labelNames: ['state'],
    registers,
    collect() {
      for (const state of LINE_STATES) this.set({ state }, views.filter((v) => v.registration.state === state).length);
    },
  });
  perLine('sip2wa_line_registered', 'Whether the line is registered on its PBX (1) or not (0); in a call counts as registered.', (v) =>
    v.sip ? Number(v.registration.state === 'registered' || v.registration.state === 'in-call') : null,
  );
  perLine('sip2wa_line_paused', 'Whether a lock-after rule has paused the line (1) or not (0).', (v) => (v.sip ? Number(v.paused !== null) : null));
  perLine('sip2wa_rtp_lost_packets', "Packets lost on the PBX's RTP stream of the line's current call.", (v) => v.call?.stats?.lost ?? null);
  perLine('sip2wa_rtp_jitter_seconds', "Interarrival jitter of the PBX's RTP stream of the line's current call (RFC 3550).", (v) =>
    v.call?.stats ? v.call.stats.jitterMs / 1000 : null,
  );
  perLine('sip2wa_agent_rtt_seconds', "Round trip of the last ping on the phone's agent link.", (v) => (typeof v.device?.pingRttMs === 'number' ? v.device.pingRttMs / 1000 : null));
  perLine('sip2wa_phone_battery_percent', "The phone's battery level.", (v) => (v.agent && v.agent.batteryLevel !== 255 ? v.agent.batteryLevel : null));
  perLine('sip2wa_phone_temperature_celsius', "The phone's battery temperature.", (v) => (v.agent ? v.agent.temperatureDeciC / 10 : null));
  // Read from the station's alarms at each scrape; `setAlarmsFiring` stands in where they do not run.
  let alarmsSet: number | null = null;
  new Gauge({
    name: 'sip2wa_alarms_firing',
    help: 'Alarms firing now, by severity.',
    labelNames: ['severity'],
    registers,
    collect() {
      this.reset();
      const firing = station.alarms?.view().firing;
      if (alarmsSet !== null || !firing) return void this.set({ severity: 'any' }, alarmsSet ?? 0);
      for (const severity of ALARM_SEVERITIES) this.set({ severity }, firing.filter((a) => a.severity === severity).length);
    },
  });

  const calls = new Counter({ name: 'sip2wa_calls_total', help: 'Calls ended, by line, direction and outcome.', labelNames: ['line', 'direction', 'outcome'], registers });
  const refusals = new Counter({ name: 'sip2wa_policy_refusals_total', help: 'Calls refused by a policy rule, by rule.', labelNames: ['rule'], registers });
  // Unlabelled, so that every Prometheus text parser reads them: PBX calls only (both directions) for
  // the duration, calls to WhatsApp only for the post-dial delay (the INVITE to WhatsApp's ringing).
  const duration = new Histogram({ name: 'sip2wa_call_duration_seconds', help: 'Answered PBX calls (both directions), answer to end.', buckets: DURATION_BUCKETS, registers });
  const pdd = new Histogram({ name: 'sip2wa_post_dial_delay_seconds', help: 'PBX calls to WhatsApp that rang: INVITE to ringing.', buckets: PDD_BUCKETS, registers });
  const attempts = new Counter({ name: 'sip2wa_registration_attempts_total', help: 'REGISTER transactions that ended (answered or failed), by line.', labelNames: ['line'], registers });
  const failures = new Counter({ name: 'sip2wa_registration_failures_total', help: 'REGISTER transactions that failed, by line.', labelNames: ['line'], registers });

  const ended = (call: Call, line: Line): void => {
    const labels = { line: call.phone?.lineId ?? line.config.id, direction: call.direction, outcome: call.outcome ?? 'error' };
    calls.inc(labels);
    if (call.rule) refusals.inc({ rule: call.rule });
    const answeredAt = call.answeredAt ?? call.whatsappAnsweredAt;
    const endedAt = call.endedAt ?? new Date();
    const pbxCall = call.direction === 'sip-to-whatsapp' || call.direction === 'whatsapp-to-sip';
    if (pbxCall && answeredAt) duration.observe((endedAt.getTime() - answeredAt.getTime()) / 1000);
    if (call.direction === 'sip-to-whatsapp' && call.ringingAt) pdd.observe((call.ringingAt.getTime() - call.startedAt.getTime()) / 1000);
  };
  const follow = (call: Call, line: Line): void => {
    let counted = false;
    const off = call.on('change', () => {
      if (counted || !call.ended) return;
      counted = true;
      off();
      ended(call, line);
    });
  };

  // Each registration status is a new object: a new one in state registered or failed is the end of
  // one REGISTER transaction (a refresh included).
  // What a line already had when the metrics started was counted by nobody: it is the baseline.
  const lastStatus = new WeakMap<Line, object>();
  const watchLine = (line: Line): (() => void) => {
    const now = line.account?.registration.status;
    if (now) lastStatus.set(line, now);
    // Both series exist from the start (at 0), so a rate over them has no gap before the first failure.
    if (line.hasSip) {
      attempts.inc({ line: line.config.id }, 0);
      failures.inc({ line: line.config.id }, 0);
    }
    return line.on('change', () => {
      const status = line.account?.registration.status;
      if (!status || lastStatus.get(line) === status) return;
      lastStatus.set(line, status);
      if (status.state !== 'registered' && status.state !== 'failed') return;
      attempts.inc({ line: line.config.id });
      if (status.state === 'failed') failures.inc({ line: line.config.id });
    });
  };

  const offs: Array<() => void> = [];
  if (station.counters) offs.push(station.counters.on('call', follow));
  if (station.registry) {
    for (const line of station.registry.lines) offs.push(watchLine(line));
    offs.push(station.registry.on('added', (line) => offs.push(watchLine(line))));
  }

  return {
    contentType: registry.contentType,
    async text() {
      views = station.lines();
      try {
        return await registry.metrics();
      } finally {
        views = [];
      }
    },
    setAlarmsFiring: (n) => void (alarmsSet = n),
    stop() {
      for (const off of offs.splice(0)) off();
      registry.clear();
    },
  };
}
