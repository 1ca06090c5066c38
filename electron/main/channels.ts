/**
 * The IPC channel names, shared by main and the preload (the preload bundles this file, so it imports
 * nothing). Every channel is handled in ipc.ts, the one choke point.
 */
export const CHANNELS = {
  /** renderer -> main, invoke: `{ command, params }` -> `IpcReply`. */
  command: 'sip2wa:command',
  /** renderer -> main, invoke: `{ id, format, filter }` -> `IpcReply` of the export's result. */
  export: 'sip2wa:export',
  /** renderer -> main, send: the console listens now; queued events may flow. */
  ready: 'sip2wa:ready',
  /** main -> renderer: a StationEvent. */
  event: 'sip2wa:event',
  /** main -> renderer: `{ id, rows, bytes }` while an export runs. */
  exportProgress: 'sip2wa:export-progress',
} as const;

/**
 * What an invoke returns. Errors travel as a value rather than a rejection: a rejected invoke reaches
 * the renderer wrapped in "Error invoking remote method ...", and the operator should read the
 * contract's own message.
 */
export type IpcReply<T = unknown> = { ok: true; result: T } | { ok: false; error: string };

export interface ExportRequest {
  id: number;
  format: unknown;
  filter: unknown;
}

export interface ExportProgressMessage {
  id: number;
  rows: number;
  bytes: number;
}
