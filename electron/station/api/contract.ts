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
import type { CallPage } from '../calllog/call-query';
import type { MessageRecord } from '../calllog/message-log';
import type { LineView } from './types';

const lineId = z.string().min(1, 'must name a line');

export const COMMANDS = {
  /** Every line as the grid shows it. */
  'lines.list': z.strictObject({}),
  /** Call records, newest first, with the filters of GET /api/calls. */
  'calls.query': z.strictObject({
    from: z.number().optional(),
    to: z.number().optional(),
    lineId: z.string().optional(),
    number: z.string().regex(/^\d{1,15}$/, 'must be digits').optional(),
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().optional(),
  }),
  /** WhatsApp messages seen by the station, newest first. */
  'messages.list': z.strictObject({ lineId: z.string().optional(), limit: z.number().int().min(1).max(500).default(100) }),
  /** Ends the line's call on both sides. */
  'line.hangUp': z.strictObject({ lineId }),
  /** Sends DTMF to the PBX side of the line's call. */
  'line.sendDtmf': z.strictObject({ lineId, digits: z.string().regex(/^[0-9*#A-D]{1,32}$/, 'must be 1-32 of 0-9 * # A-D') }),
  /** Stops the phone's agent; the station installs and starts it again. */
  'line.restartAgent': z.strictObject({ lineId }),
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
}

export type StationEvent = { event: 'lines'; data: LineView[] };

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
