/**
 * Serves the built operator console (renderer/dist) in serve mode: GET / and the asset files, with the
 * console's Content Security Policy. Only files inside the folder are ever read (a request that
 * climbs out with ".." or an encoded variant is a 404), and a missing build is a plain 503 saying
 * how to make it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The same policy the Electron window enforces: no inline script or style, WebSocket to this origin. */
export const CONSOLE_CSP = "default-src 'self'; connect-src 'self' ws: ; img-src 'self' data:; style-src 'self'";

export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../renderer/dist', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = 'the console is not built: run npm run build:renderer\n';

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  res.end(text);
}

/**
 * The file a URL path names inside `root`, or null when it is not a plain path inside it. Decoding
 * happens once, before the check, so "%2e%2e/" cannot slip past it.
 */
export function resolveStatic(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(root, rel);
  const base = path.resolve(root);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return file;
}

/**
 * Answers GET/HEAD requests for the console; returns false for paths it does not serve (the API).
 * Hashed asset names never change content, so they may be cached; index.html must not be.
 */
export async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<boolean> {
  if (pathname.startsWith('/api/')) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const indexStat = await stat(path.join(root, 'index.html')).catch(() => null);
  if (!indexStat?.isFile()) {
    plain(res, 503, NOT_BUILT);
    return true;
  }
  const file = resolveStatic(root, pathname);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) {
    plain(res, 404, `no such file: ${pathname}\n`);
    return true;
  }
  const ext = path.extname(file).toLowerCase();
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'content-length': info.size,
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': ext === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
  return true;
}
