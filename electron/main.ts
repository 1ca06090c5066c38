/**
 * The desktop app's main process: a thin entry that builds the parts and wires their order.
 *
 *   before ready: the app:// scheme, the user data folder, the single-instance lock
 *   ready:        security rules, the console's files, the station (or the demo), the window, IPC
 *   quit:         the station stops first (lifecycle.ts), then the app exits
 */
import './station/util/threadpool';
import { app, dialog, type BrowserWindow } from 'electron';
import { createCommandHandler } from './station/server/command-handler';
import { createLogger } from './station/util/log';
import { APP_ROOT, appPaths } from './main/app-paths';
import { applyAutoStart } from './main/auto-start';
import { setupIpc } from './main/ipc';
import { claimSingleInstance, setupStopOrder } from './main/lifecycle';
import { APP_PAGE, isAppUrl, registerAppScheme, serveRenderer } from './main/protocol';
import { encryptionStatus, safeStorageCodec } from './main/secrets';
import { setupSecurity } from './main/security';
import { StationHost } from './main/station-host';
import type { Station } from './station/station';
import { createMainWindow } from './main/window';

const log = createLogger('desktop');
const paths = appPaths({ appData: app.getPath('appData'), isPackaged: app.isPackaged, resourcesPath: process.resourcesPath });
let win: BrowserWindow | null = null;
let station: Station | null = null;

async function start(): Promise<void> {
  setupSecurity();
  serveRenderer(paths.rendererDir, () => station);
  const encryption = encryptionStatus();
  if (!encryption.available) log.warn(`SIP passwords cannot be stored: ${encryption.reason}`);
  const host = new StationHost({ paths, codec: safeStorageCodec() });
  station = await host.start();
  const running = station;
  followAutoStart(running);
  win = createMainWindow({ preload: paths.preloadFile, page: APP_PAGE, icon: paths.iconFile, devTools: !app.isPackaged });
  const stopIpc = setupIpc({
    window: () => win,
    handle: createCommandHandler(running),
    source: running,
    isAppUrl,
    exports: { calls: () => running, defaultDir: app.getPath('downloads') },
  });
  setupStopOrder(app, win, async () => {
    stopIpc();
    await host.stop();
  });
  if (host.problem) void dialog.showMessageBox(win, { type: 'error', title: 'Configuration refused', message: host.problem });
}

/** Applies `desktop.startAtLogin` now and whenever the settings change it. */
function followAutoStart(running: Station): void {
  let applied: boolean | null = null;
  const follow = (): void => {
    const on = running.config.desktop.startAtLogin;
    if (on === applied) return;
    applied = on;
    const target = { platform: process.platform, exec: process.execPath, args: app.isPackaged ? [] : [APP_ROOT], setLoginItem: (open: boolean) => app.setLoginItemSettings({ openAtLogin: open }) };
    applyAutoStart(on, target).then(
      (where) => log.info(`start at login ${on ? 'on' : 'off'} (${where})`),
      (err: Error) => log.warn(`cannot set the app to start at login: ${err.message}`),
    );
  };
  follow();
  running.onEvent((e) => {
    if (e.event === 'info') follow();
  });
}

registerAppScheme();
// Set before ready: without it, a development run would keep its data under the name "Electron".
app.setPath('userData', paths.userData);
if (!claimSingleInstance(app, () => win)) {
  app.quit();
} else {
  app
    .whenReady()
    .then(start)
    .catch((err: Error) => {
      log.error(`cannot start: ${err.message}`);
      dialog.showErrorBox('sip2wa station cannot start', err.message);
      app.exit(1);
    });
}
