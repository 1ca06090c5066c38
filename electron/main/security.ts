/**
 * Electron's security checklist, applied to every session and every web contents: a CSP on every
 * response, no navigation away from the console, no new windows, no webviews, and no permission
 * (camera, microphone, notifications, devices...) granted to page content. The station's own audio
 * runs in main through naudiodon, so the page never needs the microphone.
 */
import { app, session, type WebContents } from 'electron';
import { createLogger } from '../station/util/log';

export const CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'";

const log = createLogger('desktop');

type Headers = Record<string, string[]>;

/** The response headers with our CSP in place of any the response carried (in any letter case). */
export function withCsp(headers: Headers | undefined): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  out['Content-Security-Policy'] = [CSP];
  return out;
}

/** Locks a web contents in place: it stays on the page it was given. */
export function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log.warn(`navigation to ${url} refused`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log.warn(`redirect to ${url} refused`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('a <webview> was refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn(`window.open(${url}) refused`);
    return { action: 'deny' };
  });
}

export function setupSecurity(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders) }));
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`permission "${permission}" refused`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
}
