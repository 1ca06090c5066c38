/**
 * The console's window. Its page gets no Node, runs sandboxed and isolated from the preload, and sees
 * the station only through `window.sip2wa` (preload.ts).
 */
import { BrowserWindow, type WebPreferences } from 'electron';

export function securePreferences(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools,
  };
}

export interface WindowOptions {
  preload: string;
  /** The console's page (app://station/index.html). */
  page: string;
  icon?: string;
  devTools: boolean;
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    title: 'sip2wa station',
    backgroundColor: '#10161c',
    // Shown once painted, so the operator never sees a white flash.
    show: false,
    icon: opts.icon,
    webPreferences: securePreferences(opts.preload, opts.devTools),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.page);
  return win;
}
