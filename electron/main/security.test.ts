/**
 * Electron's security checklist as the shell applies it: every response carries the CSP, the console
 * cannot be navigated away or open windows or webviews, and page content is granted no permission.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { app, FakeWebContents, session } from './testing/electron-mock';
import { CSP, setupSecurity } from './security';

vi.mock('electron', () => import('./testing/electron-mock'));

beforeAll(() => setupSecurity());

function created(): FakeWebContents {
  const contents = new FakeWebContents('app://station/index.html');
  app.emit('web-contents-created', {}, contents);
  return contents;
}

function fire(contents: FakeWebContents, name: string, ...args: unknown[]): boolean {
  let prevented = false;
  contents.emit(name, { preventDefault: () => (prevented = true) }, ...args);
  return prevented;
}

describe('security rules', () => {
  it('puts the CSP on every response, replacing one the response brought', () => {
    const listener = session.defaultSession.headersListener!;
    let headers: Record<string, string[]> | undefined;
    listener({ responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ["default-src *; script-src 'unsafe-inline'"] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [CSP] });
    expect(CSP).toBe("default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'");
    listener({}, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'Content-Security-Policy': [CSP] });
  });

  it('refuses navigation, redirects, webviews and new windows in every web contents', () => {
    const contents = created();
    expect(fire(contents, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(fire(contents, 'will-navigate', 'app://station/other.html')).toBe(true);
    expect(fire(contents, 'will-redirect', 'https://example.com/')).toBe(true);
    expect(fire(contents, 'will-attach-webview', {}, {})).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://station/index.html' })).toEqual({ action: 'deny' });
  });

  it('grants page content no permission, asked or checked', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      session.defaultSession.permissionRequest!({}, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(session.defaultSession.permissionCheck!({}, permission, 'app://station', {})).toBe(false);
    }
    expect(session.defaultSession.devicePermission!({ deviceType: 'usb' })).toBe(false);
  });
});
