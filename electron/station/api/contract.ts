/**
 * The station's API contract, declared once: every command with its parameter schema, what it
 * returns, and the events the station pushes. The WebSocket server (serve mode) is derived from it
 * today; the Electron IPC adapter and the console's client are derived from the same map.
 *
 * Wire format (WebSocket, JSON text frames):
 *   client -> station  { "id": 7, "command": "line.sendDtmf", "params": { "lineId": "wa1", "digits": "12#" } }
 *   station -> client  { "id": 7, "ok": true, "result": ... }  or  { "id": 7, "ok": false, "error": "..." }
 *   station -> client  { "event": "lines", "data": LineView[] }   (on every change, at most 10 per second)
 */
import { z } from 'zod';
import type { ExportFormat } from '../calllog/call-export';
import type { CallPage } from '../calllog/call-query';
import type { CallStats, LineStats, SeriesPoint } from '../calllog/call-stats';
import { CALL_LOG_DIRECTIONS, CALL_LOG_OUTCOMES } from '../calllog/call-record';
import type { MessageRecord } from '../calllog/message-log';
import type { StationConfig } from '../config/schema';
import type { ProbeResult } from '../sip/probe-outcome';
import type { AlarmsView, AudioDevice, EchoTestResult, LineView, StationInfo, StationLogEntry, TestAlarmResult, TestDialView } from './types';

export type { ExportFormat } from '../calllog/call-export';

const lineId = z.string().min(1, 'must name a line');
const callFilter = {
  from: z.number().optional(),
  to: z.number().optional(),
  lineId: z.string().optional(),
  direction: z.enum(CALL_LOG_DIRECTIONS).optional(),
  outcome: z.enum(CALL_LOG_OUTCOMES).optional(),
  number: z.string().regex(/^\d{1,15}$/, 'must be digits').optional(),
};

export const COMMANDS = {
  /** Every line as the grid shows it. */
  'lines.list': z.strictObject({}),
  /** Call records, newest first, with the filters of GET /api/calls. */
  'calls.query': z.strictObject({
    ...callFilter,
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().optional(),
  }),
  /** Totals, per-line figures and a time series (calls, ASR, ACD) for the charts, over the same filters. */
  'calls.stats': z.strictObject({ ...callFilter, bucket: z.enum(['hour', 'day']).default('day') }),
  /** What this station is: version, demo mode, whether a PBX is configured, local audio. */
  'station.info': z.strictObject({}),
  /** The latest entries of the events panel, newest first. */
  'events.list': z.strictObject({ limit: z.number().int().min(1).max(1000).default(200) }),
  /** Firing alarms (worst first), recently cleared ones, each receiver's queue and the delivery failures (GET /api/alarms). */
  'alarms.list': z.strictObject({}),
  /**
   * Sends a test alarm straight to every enabled receiver of the saved settings (webhooks, email,
   * WhatsApp), not through the queue, and says for each whether it was delivered, or why not.
   */
  'alarms.test': z.strictObject({}),
  /** WhatsApp messages seen by the station, newest first. */
  'messages.list': z.strictObject({ lineId: z.string().optional(), limit: z.number().int().min(1).max(500).default(100) }),
  /** Ends the line's call on both sides. */
  'line.hangUp': z.strictObject({ lineId }),
  /** Sends DTMF to the PBX side of the line's call. */
  'line.sendDtmf': z.strictObject({ lineId, digits: z.string().regex(/^[0-9*#A-D]{1,32}$/, 'must be 1-32 of 0-9 * # A-D') }),
  /** Stops the phone's agent; the station installs and starts it again. */
  'line.restartAgent': z.strictObject({ lineId }),
  /** Switches a line on or off for this run (settings.save makes it permanent). */
  'line.setEnabled': z.strictObject({ lineId, enabled: z.boolean() }),
  /** Ends the line's lock-after pause now: it takes calls again (LineView.paused says why it was paused). */
  'line.liftPause': z.strictObject({ lineId }),
  /** Drops the line's registration and registers again at once. */
  'line.reRegister': z.strictObject({ lineId }),
  /** Calls the configured echo contact through the line's phone with a test signal and measures what comes back. */
  'line.echoTest': z.strictObject({ lineId, number: z.string().regex(/^[1-9]\d{6,14}$/, 'must be an international number without +').optional() }),
  /** Places a WhatsApp call on the line with the operator's headset as the caller (one at a time). */
  'testDial.start': z.strictObject({ lineId, number: z.string().regex(/^\+?[1-9]\d{6,14}$/, 'must be an international number (7-15 digits)') }),
  'testDial.mute': z.strictObject({ muted: z.boolean() }),
  'testDial.hangUp': z.strictObject({}),
  /** The test dial in progress, or the last one ended (null when none): a reopened console shows it with its controls. */
  'testDial.current': z.strictObject({}),
  /** The PC's sound devices, for the headset choice in settings. */
  'audio.devices': z.strictObject({}),
  /** The configuration as the settings page edits it; passwords are masked. */
  'settings.get': z.strictObject({}),
  /**
   * Validates and saves the whole configuration and applies it (lines are rebuilt). A password left
   * masked keeps the line's current password. A bad value is refused naming the field; nothing changes.
   */
  'settings.save': z.strictObject({ config: z.unknown() }),
  /**
   * Sends one REGISTER for a PBX (and optionally one line's account) from the settings draft, before it
   * is saved, from a throwaway user agent, and un-registers after a success; running lines are not
   * touched. A masked password is the stored one of the line with that id. One test at a time.
   */
  'settings.testRegistration': z.strictObject({ pbx: z.unknown(), line: z.unknown().optional(), timeoutS: z.number().min(1).max(30).default(5) }),
  /**
   * Demo only: a simulated WhatsApp contact calls the line's phone, so the station's WhatsApp -> SIP flow
   * rings the line's inbound extension. Refused outside the demo, and when the line cannot take it.
   */
  'demo.incomingCall': z.strictObject({ lineId, from: z.string().regex(/^\d{3,15}$/, 'must be the contact\'s number (3-15 digits, no +)') }),
  /** Demo only: a simulated WhatsApp contact sends a text to the line's phone. */
  'demo.incomingMessage': z.strictObject({
    lineId,
    from: z.string().regex(/^\d{3,15}$/, 'must be the contact\'s number (3-15 digits, no +)'),
    text: z.string().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters'),
  }),
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandParams<C extends CommandName> = z.input<(typeof COMMANDS)[C]>;

/** What each command returns. */
export interface CommandResults {
  'lines.list': LineView[];
  'calls.query': CallPage;
  'messages.list': MessageRecord[];
  'line.hangUp': { hungUp: boolean };
  'line.sendDtmf': { sent: boolean };
  'line.restartAgent': { restarting: boolean };
  'calls.stats': { total: CallStats; lines: LineStats[]; series: SeriesPoint[] };
  'station.info': StationInfo;
  'events.list': StationLogEntry[];
  'alarms.list': AlarmsView;
  'alarms.test': TestAlarmResult[];
  'line.setEnabled': { enabled: boolean };
  'line.reRegister': { registering: boolean };
  'line.liftPause': { lifted: boolean };
  'line.echoTest': EchoTestResult;
  'testDial.start': TestDialView;
  'testDial.mute': TestDialView;
  'testDial.hangUp': { hungUp: boolean };
  'testDial.current': TestDialView | null;
  'audio.devices': AudioDevice[];
  /** `fileExists` is false until the first save creates `file`. */
  'settings.get': { config: StationConfig; file: string | null; fileExists: boolean; secrets: 'encrypted' | 'plain' };
  'settings.save': { config: StationConfig; file: string | null };
  'settings.testRegistration': ProbeResult;
  'demo.incomingCall': { ringing: boolean; lineId: string; from: string; extension: string };
  'demo.incomingMessage': { sent: boolean; lineId: string; from: string };
}

/** What the station pushes: the lines (at most 10 times a second), events-panel entries, the test dial. */
export type StationEvent =
  | { event: 'lines'; data: LineView[] }
  | { event: 'log'; data: StationLogEntry }
  | { event: 'testDial'; data: TestDialView | null }
  | { event: 'info'; data: StationInfo };
export type StationEventName = StationEvent['event'];
export type StationEventData<E extends StationEventName> = Extract<StationEvent, { event: E }>['data'];

/** The contract as a client sees it: one typed call per command. Both the IPC preload and the WebSocket client implement it. */
export interface StationClient {
  call<C extends CommandName>(command: C, params: CommandParams<C>): Promise<CommandResults[C]>;
  on<E extends StationEventName>(event: E, listener: (data: StationEventData<E>) => void): () => void;
}

export interface CommandRequest {
  id: number | string;
  command: string;
  params?: unknown;
}

export type CommandReply = { id: number | string | null; ok: true; result: unknown } | { id: number | string | null; ok: false; error: string };

/** A refused command: the message says what was wrong, and nothing was changed. */
export class ApiError extends Error {}

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** Validates a command's parameters against the contract; throws ApiError naming the field. */
export function parseParams<C extends CommandName>(command: C, params: unknown): z.output<(typeof COMMANDS)[C]> {
  const result = COMMANDS[command].safeParse(params ?? {});
  if (!result.success) {
    const first = result.error.issues[0]!;
    const path = first.path.join('.');
    const message = first.code === 'unrecognized_keys' ? `unknown parameter ${first.keys.map((k) => `"${k}"`).join(', ')}` : first.message;
    throw new ApiError(`${command}: ${path ? `${path}: ` : ''}${message}`);
  }
  return result.data as z.output<(typeof COMMANDS)[C]>;
}

/** The call filters shared by calls.query, calls.stats and the export. */
export type CallFilterParams = Omit<CommandParams<'calls.stats'>, 'bucket'>;

export interface ExportProgress {
  rows: number;
  bytes: number;
}

/**
 * Exporting the call log (CSV, JSON, or Asterisk's Master.csv: calllog/call-export.ts) is a download, not a command: over HTTP it is GET /api/calls/export (serve
 * mode); in the desktop app the preload asks main to save it to a file the operator picks. Both report
 * progress as rows and bytes written.
 */
export interface CallExporter {
  exportCalls(format: ExportFormat, filter: CallFilterParams, onProgress: (p: ExportProgress) => void): Promise<ExportProgress & { savedTo: string | null }>;
}
