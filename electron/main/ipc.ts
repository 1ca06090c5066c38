/**
 * The one choke point between the console page and main. Every channel is handled here, and every
 * message is checked first: it must come from the main window's own top frame, showing the app's own
 * page (app://station/). Anything else (a frame of another origin, another web contents) is refused
 * and logged, and reaches neither the station nor the file system.
 *
 * Commands go to the command handler, which validates them against the contract; replies carry the
 * contract's error message as is.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { ApiError, type StationEvent } from '../station/api/contract';
import type { CommandHandler } from '../station/server/command-handler';
import { createLogger } from '../station/util/log';
import { CHANNELS, type ExportProgressMessage, type ExportRequest, type IpcReply } from './channels';
import { EventPump, type EventSource } from './event-pump';
import { runExport, type ExportDeps } from './export';

const log = createLogger('ipc');

export interface IpcOptions {
  window: () => BrowserWindow | null;
  handle: CommandHandler;
  source: EventSource;
  /** Whether a frame URL is the app's own page. */
  isAppUrl: (url: string) => boolean;
  exports: Omit<ExportDeps, 'window'>;
}

export const REFUSED = 'refused: the request did not come from the station console';

/** Why a message must be refused, or null when it comes from the console's own page. */
export function senderProblem(event: IpcMainEvent | IpcMainInvokeEvent, win: BrowserWindow | null, isAppUrl: (url: string) => boolean): string | null {
  if (!win || win.isDestroyed() || event.sender !== win.webContents) return 'another web contents';
  const frame = event.senderFrame;
  if (!frame) return 'a frame that is gone';
  if (frame !== event.sender.mainFrame) return `a sub-frame (${frame.url})`;
  if (!isAppUrl(frame.url)) return `a page at ${frame.url}`;
  return null;
}

function failure(err: unknown): IpcReply<never> {
  // A contract error is the operator's to read; anything else is a fault, said as such.
  return { ok: false, error: err instanceof ApiError ? err.message : `failed: ${(err as Error).message}` };
}

export function setupIpc(opts: IpcOptions): () => void {
  const check = (event: IpcMainEvent | IpcMainInvokeEvent, channel: string): boolean => {
    const problem = senderProblem(event, opts.window(), opts.isAppUrl);
    if (problem) log.warn(`${channel} from ${problem} refused`);
    return problem === null;
  };
  const sendToWindow = (channel: string, payload: unknown): void => {
    const win = opts.window();
    if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
  };
  const pump = new EventPump(opts.source, (event: StationEvent) => sendToWindow(CHANNELS.event, event));

  ipcMain.handle(CHANNELS.command, async (event, request: unknown): Promise<IpcReply> => {
    if (!check(event, CHANNELS.command)) return { ok: false, error: REFUSED };
    const { command, params } = (request ?? {}) as { command?: unknown; params?: unknown };
    if (typeof command !== 'string') return { ok: false, error: 'a command is {"command": string, "params": object}' };
    try {
      return { ok: true, result: await opts.handle(command, params) };
    } catch (err) {
      return failure(err);
    }
  });

  ipcMain.handle(CHANNELS.export, async (event, request: unknown): Promise<IpcReply> => {
    if (!check(event, CHANNELS.export)) return { ok: false, error: REFUSED };
    const { id, format, filter } = (request ?? {}) as Partial<ExportRequest>;
    if (typeof id !== 'number') return { ok: false, error: 'an export is {"id": number, "format": "csv"|"json", "filter": object}' };
    try {
      const progress = (p: { rows: number; bytes: number }) => sendToWindow(CHANNELS.exportProgress, { id, ...p } satisfies ExportProgressMessage);
      return { ok: true, result: await runExport({ ...opts.exports, window: opts.window }, format, filter, progress) };
    } catch (err) {
      return failure(err);
    }
  });

  const onReady = (event: IpcMainEvent): void => {
    if (check(event, CHANNELS.ready)) pump.markReady();
  };
  ipcMain.on(CHANNELS.ready, onReady);

  // A reload or a crashed renderer: hold events until the new page says it listens.
  const win = opts.window();
  const notReady = (): void => pump.markNotReady();
  win?.webContents.on('did-start-loading', notReady);
  win?.webContents.on('render-process-gone', notReady);

  return () => {
    pump.stop();
    ipcMain.removeHandler(CHANNELS.command);
    ipcMain.removeHandler(CHANNELS.export);
    ipcMain.removeListener(CHANNELS.ready, onReady);
    if (win && !win.isDestroyed()) {
      win.webContents.removeListener('did-start-loading', notReady);
      win.webContents.removeListener('render-process-gone', notReady);
    }
  };
}
