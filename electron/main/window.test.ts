/**
 * The console's window and the files behind app://station/: secure web preferences, the app's own
 * page, and no file outside the console's build served whatever the URL says.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BrowserWindow, protocol } from './testing/electron-mock';
import { APP_PAGE, appResponse, isAppUrl, registerAppScheme, resolveAppFile, serveRenderer } from './protocol';
import { CSP } from './security';
import { createMainWindow } from './window';

vi.mock('electron', () => import('./testing/electron-mock'));

describe('the console window', () => {
  it('is created isolated, sandboxed, without Node, with web security, and loads the app page', () => {
    const win = createMainWindow({ preload: '/app/dist/electron/preload.cjs', page: APP_PAGE, devTools: false }) as unknown as BrowserWindow;
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(win.loadedUrl).toBe('app://station/index.html');
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });
});

describe('app://station/', () => {
  const root = join(mkdtempSync(join(tmpdir(), 'sip2wa-renderer-')), 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, '..', 'secret.txt'), 'not for the page');

  it('knows its own URLs from any other', () => {
    expect(isAppUrl('app://station/index.html')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///work/renderer/dist/index.html')).toBe(false);
    expect(isAppUrl('https://station/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('serves the console files with the CSP and refuses anything outside the build folder', async () => {
    registerAppScheme();
    expect(protocol.privileged).toContainEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
    serveRenderer(root);
    const handler = protocol.handlers.get('app')!;
    const page = await handler({ url: 'app://station/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>console</title>');
    const script = await appResponse(root, 'app://station/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const url of ['app://station/../secret.txt', 'app://station/%2e%2e/secret.txt', 'app://station/assets/%2e%2e%2f..%2fsecret.txt', 'app://station/missing.js', 'app://evil/index.html']) {
      expect((await appResponse(root, url)).status, url).toBe(404);
    }
    expect(resolveAppFile(root, 'app://station/%2e%2e%2fsecret.txt')).toBeNull();
  });
});
