/**
 * The console's one window onto the station: `window.sip2wa`, implementing the contract's
 * StationClient and CallExporter over IPC. The page gets these functions and nothing else (no
 * ipcRenderer, no channel names it could misuse); main checks every message again anyway (ipc.ts).
 *
 * This file runs sandboxed and is bundled to one CommonJS file that imports only 'electron'. The
 * command names come from the contract's COMMANDS at build time (SIP2WA_COMMAND_NAMES, defined by
 * scripts/build-electron.mjs), so zod never enters the bundle and the list is never written by hand.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallExporter, CommandName, StationClient, StationEvent, StationEventName } from './station/api/contract';
import { CHANNELS, type ExportProgressMessage, type ExportRequest, type IpcReply } from './main/channels';

declare const SIP2WA_COMMAND_NAMES: readonly CommandName[];

const commands: readonly CommandName[] = Object.freeze([...SIP2WA_COMMAND_NAMES]);
const listeners = new Map<StationEventName, Set<(data: unknown) => void>>();
let readySent = false;
let nextExport = 1;

ipcRenderer.on(CHANNELS.event, (_event: IpcRendererEvent, message: StationEvent) => {
  for (const listener of listeners.get(message.event) ?? []) listener(message.data);
});

function unwrap<T>(reply: IpcReply<T>): T {
  if (!reply.ok) throw new Error(reply.error);
  return reply.result;
}

const api: StationClient & CallExporter & { commands: readonly CommandName[] } = {
  commands,

  async call(command, params) {
    if (!commands.includes(command)) throw new Error(`unknown command "${String(command)}"`);
    return unwrap(await ipcRenderer.invoke(CHANNELS.command, { command, params }));
  },

  on(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (data: unknown) => void;
    set.add(l);
    // The first subscription means the console listens. Sent after the current task, so every
    // listener the page registers while it mounts is in place before main flushes its queue.
    if (!readySent) {
      readySent = true;
      setTimeout(() => ipcRenderer.send(CHANNELS.ready), 0);
    }
    return () => void set.delete(l);
  },

  async exportCalls(format, filter, onProgress) {
    const id = nextExport++;
    const progress = (_event: IpcRendererEvent, p: ExportProgressMessage): void => {
      if (p.id === id) onProgress({ rows: p.rows, bytes: p.bytes });
    };
    ipcRenderer.on(CHANNELS.exportProgress, progress);
    try {
      return unwrap(await ipcRenderer.invoke(CHANNELS.export, { id, format, filter } satisfies ExportRequest));
    } finally {
      ipcRenderer.removeListener(CHANNELS.exportProgress, progress);
    }
  },
};

contextBridge.exposeInMainWorld('sip2wa', api);
