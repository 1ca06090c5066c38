/**
 * The console is served from `app://station/`, a privileged custom scheme, rather than file://:
 * Vite's output uses module scripts, which Chromium refuses to load from file:// pages, and a file://
 * page would share its origin with every other local file. Only files inside the renderer's build
 * folder are served, each with the CSP; and the call log's recordings at the API's own path
 * (`/api/calls/{id}/recording`), looked up through the call record as serve mode does.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, relative, isAbsolute } from 'node:path';
import { protocol } from 'electron';
import { CSP } from './security';
import { findRecording, recordingRouteId, type RecordingSource } from '../station/server/recording-route';

export const APP_SCHEME = 'app';
export const APP_HOST = 'station';
export const APP_PAGE = `${APP_SCHEME}://${APP_HOST}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wav': 'audio/wav',
};

/** Whether a URL is a page or file of the app itself (the only place commands may come from). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The file an app:// URL names inside `rootDir`, or null when it names anything outside it. */
export function resolveAppFile(rootDir: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  const pathname = decodeURIComponent(new URL(url).pathname);
  if (pathname.includes('\0')) return null;
  const file = normalize(join(rootDir, pathname === '/' ? '/index.html' : pathname));
  const rel = relative(rootDir, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

/** Must run before the app is ready: the scheme is standard (relative URLs, 'self') and secure. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** A call's recording for the console's player or a download. */
async function recordingResponse(source: RecordingSource | null, id: string, download: boolean): Promise<Response> {
  if (!source) return new Response('the station is not running', { status: 503 });
  const found = await findRecording(source, id);
  if ('error' in found) return new Response(found.error, { status: found.status });
  return new Response(await readFile(found.file), {
    headers: {
      'content-type': 'audio/wav',
      'content-disposition': `${download ? 'attachment' : 'inline'}; filename="${found.fileName}"`,
      'x-content-type-options': 'nosniff',
    },
  });
}

/** Answers an app:// request from `rootDir` (and `recordings`, for the recording route). */
export async function appResponse(rootDir: string, url: string, recordings?: () => RecordingSource | null): Promise<Response> {
  const id = isAppUrl(url) ? recordingRouteId(new URL(url).pathname) : null;
  if (id !== null) return recordingResponse(recordings?.() ?? null, id, new URL(url).searchParams.get('download') === '1');
  const file = resolveAppFile(rootDir, url);
  if (!file) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

export function serveRenderer(rootDir: string, recordings?: () => RecordingSource | null): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rootDir, request.url, recordings));
}
