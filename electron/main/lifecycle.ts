/**
 * The app's life: one instance (a second start focuses the first), and a strict stop order. Closing
 * the window or quitting stops the station first (lines unregister, calls end, phones' agents are
 * left clean, the database closes), then the app quits. A station that does not stop within the
 * deadline is abandoned so the app never hangs on exit.
 */
import type { App, BrowserWindow } from 'electron';
import { createLogger } from '../station/util/log';

const log = createLogger('desktop');

export const STOP_DEADLINE_MS = 10_000;

type AppLike = Pick<App, 'on' | 'quit' | 'requestSingleInstanceLock'>;

/** False when another instance runs: that one is focused and this one must quit. */
export function claimSingleInstance(app: AppLike, window: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const win = window();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return true;
}

/** Wires the stop order; `stop` stops the station (and everything under it). */
export function setupStopOrder(app: AppLike, win: BrowserWindow, stop: () => Promise<void>, deadlineMs = STOP_DEADLINE_MS): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  const stopThenQuit = async (): Promise<void> => {
    if (state !== 'running') return;
    state = 'stopping';
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)));
    try {
      const how = await Promise.race([stop().then(() => 'stopped' as const), deadline]);
      if (how === 'late') log.error(`the station did not stop within ${deadlineMs / 1000} s; quitting anyway`);
    } catch (err) {
      log.error(`stopping the station failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    state = 'stopped';
    app.quit();
  };
  const holdUntilStopped = (event: { preventDefault(): void }): void => {
    if (state === 'stopped') return;
    event.preventDefault();
    void stopThenQuit();
  };
  win.on('close', holdUntilStopped);
  app.on('before-quit', holdUntilStopped);
  // The station is the app: with its window gone there is nothing left to run, on macOS too.
  app.on('window-all-closed', () => app.quit());
}
