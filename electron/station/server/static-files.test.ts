import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './http-server';
import { CONSOLE_CSP, resolveStatic } from './static-files';

let dir: string;
let built: string;
let api: ApiServer;
let unbuilt: ApiServer;
let guarded: ApiServer;
const TOKEN = 'a-token-of-sixteen-chars';

/** A raw request, so paths reach the server exactly as written (fetch would normalise "..") */
function rawGet(base: string, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('end', () => resolve({ status: Number(data.split(' ')[1]), body: data.split('\r\n\r\n').slice(1).join('\r\n\r\n') }));
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'console-'));
  built = path.join(dir, 'dist');
  await mkdir(path.join(built, 'assets'), { recursive: true });
  await writeFile(path.join(built, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(path.join(built, 'assets', 'app-1.js'), 'console.log(1)');
  await writeFile(path.join(built, 'assets', 'app-1.css'), 'body{}');
  await writeFile(path.join(dir, 'secret.txt'), 'outside the console folder');
  api = await startApiServer({ lines: () => [] }, '127.0.0.1', 0, { consoleDir: built });
  unbuilt = await startApiServer({ lines: () => [] }, '127.0.0.1', 0, { consoleDir: path.join(dir, 'missing') });
  guarded = await startApiServer({ lines: () => [] }, '127.0.0.1', 0, { consoleDir: built, token: TOKEN });
});

afterAll(async () => {
  await Promise.all([api?.close(), unbuilt?.close(), guarded?.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('serving the console', () => {
  it('serves index.html at / with the CSP, nosniff and no caching', async () => {
    const res = await fetch(`${api.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>console</title>');
  });

  it('serves assets with their content types', async () => {
    const js = await fetch(`${api.url}/assets/app-1.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${api.url}/assets/app-1.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('never reads outside the console folder', async () => {
    for (const target of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt']) {
      const res = await rawGet(api.url, target);
      expect(res.status, target).toBe(404);
      expect(res.body, target).not.toContain('outside the console folder');
    }
    expect(resolveStatic(built, '/%2e%2e/secret.txt')).toBeNull();
    expect(resolveStatic(built, '/a%00.js')).toBeNull();
    expect(resolveStatic(built, '/')).toBe(path.join(built, 'index.html'));
  });

  it('answers a missing file with 404 and the API paths as before', async () => {
    expect((await fetch(`${api.url}/nope.js`)).status).toBe(404);
    const lines = await fetch(`${api.url}/api/lines`);
    expect(lines.status).toBe(200);
    expect(await lines.json()).toEqual([]);
    expect((await fetch(`${api.url}/api/nothing`)).status).toBe(404);
  });

  it('says how to build the console when it is not built', async () => {
    const res = await fetch(`${unbuilt.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('the console is not built: run npm run build:renderer');
  });

  it('serves the console files without the token but keeps the API behind it', async () => {
    expect((await fetch(`${guarded.url}/assets/app-1.js`)).status).toBe(200);
    expect((await fetch(`${guarded.url}/api/lines`)).status).toBe(401);
    expect((await fetch(`${guarded.url}/api/lines?token=${TOKEN}`)).status).toBe(200);
  });
});
