/**
 * What `npm start` and the packager ship: the preload bundle (small, CommonJS, only 'electron', the
 * command names taken from the contract), the compiled core running in plain Node from dist/ (media
 * workers, prompts and imports resolved from the built tree), and an electron-builder configuration
 * that electron-builder accepts, lists every platform's target and names files that exist.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, killAdbServer } from '../../test/support/adb';
import { COMMANDS } from '../station/api/contract';
import { CHANNELS } from './channels';

const ROOT = join(import.meta.dirname, '..', '..');
const PRELOAD = join(ROOT, 'dist/electron/preload.cjs');

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-electron.mjs')], { cwd: ROOT, stdio: 'pipe' });
  // The console is another engineer's build; make it only when it is missing.
  if (!existsSync(join(ROOT, 'renderer/dist/index.html'))) execFileSync('npm', ['run', '--silent', 'build:renderer'], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);

type Listener = (event: unknown, payload: unknown) => void;

/** Runs the preload bundle as the sandbox would, with the two electron objects it may use. */
function loadPreload() {
  const exposed: Record<string, unknown> = {};
  const invoked: [string, unknown][] = [];
  const sent: string[] = [];
  const listeners = new Map<string, Set<Listener>>();
  let reply: unknown = { ok: true, result: [] };
  const ipcRenderer = {
    invoke: async (channel: string, payload: unknown) => (invoked.push([channel, payload]), reply),
    send: (channel: string) => sent.push(channel),
    on: (channel: string, l: Listener) => (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(l),
    removeListener: (channel: string, l: Listener) => listeners.get(channel)?.delete(l),
  };
  const contextBridge = { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) };
  const required: string[] = [];
  const require = (id: string) => {
    required.push(id);
    if (id !== 'electron') throw new Error(`the sandbox has no module "${id}"`);
    return { contextBridge, ipcRenderer };
  };
  // The sandbox's timers, run when the test says: what the preload defers to a later turn is visible.
  const timers: Array<() => void> = [];
  const setTimeout = (fn: () => void) => timers.push(fn);
  const runTimers = () => timers.splice(0).forEach((fn) => fn());
  runInNewContext(readFileSync(PRELOAD, 'utf8'), { require, setTimeout, exports: {}, module: { exports: {} } });
  const deliver = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({}, payload));
  return { exposed, invoked, sent, required, listeners, deliver, timers, runTimers, setReply: (r: unknown) => (reply = r) };
}

describe('the preload bundle', () => {
  it('is one small CommonJS file that needs only electron and carries no zod', () => {
    const code = readFileSync(PRELOAD, 'utf8');
    expect(code.length).toBeLessThan(8 * 1024);
    expect([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(code).not.toMatch(/zod|safeParse|import\s/);
  });

  it('exposes window.sip2wa with only the contract functions and the names from COMMANDS', async () => {
    const p = loadPreload();
    expect(p.required).toEqual(['electron']);
    expect(Object.keys(p.exposed)).toEqual(['sip2wa']);
    const api = p.exposed.sip2wa as Record<string, unknown> & {
      call(c: string, params: unknown): Promise<unknown>;
      on(e: string, l: (d: unknown) => void): () => void;
      exportCalls(f: string, filter: unknown, onProgress: (p: unknown) => void): Promise<unknown>;
      commands: string[];
    };
    expect(Object.keys(api).sort()).toEqual(['call', 'commands', 'exportCalls', 'on']);
    expect(api.commands).toEqual(Object.keys(COMMANDS));
    expect(Object.values(api).filter((v) => typeof v !== 'function')).toEqual([api.commands]);

    expect(await api.call('lines.list', {})).toEqual([]);
    expect(p.invoked.at(-1)).toEqual([CHANNELS.command, { command: 'lines.list', params: {} }]);
    p.setReply({ ok: false, error: 'line.sendDtmf: digits: must be 1-32 of 0-9 * # A-D' });
    await expect(api.call('line.sendDtmf', { lineId: 'wa1', digits: 'x' })).rejects.toThrow('line.sendDtmf: digits: must be 1-32 of 0-9 * # A-D');
    const before = p.invoked.length;
    await expect(api.call('lines.delete', {})).rejects.toThrow('unknown command "lines.delete"');
    expect(p.invoked.length).toBe(before);
  });

  it('says ready once the page listens, delivers events, and unsubscribes', () => {
    const p = loadPreload();
    const api = p.exposed.sip2wa as { on(e: string, l: (d: unknown) => void): () => void };
    const got: unknown[] = [];
    const off = api.on('lines', (d) => got.push(d));
    api.on('log', () => undefined);
    // Once, on the turn after the first subscription, so the page's other subscriptions come first.
    expect(p.sent).toEqual([]);
    expect(p.timers).toHaveLength(1);
    p.runTimers();
    expect(p.sent).toEqual([CHANNELS.ready]);
    p.deliver(CHANNELS.event, { event: 'lines', data: [{ id: 'wa1' }] });
    p.deliver(CHANNELS.event, { event: 'log', data: {} });
    expect(got).toEqual([[{ id: 'wa1' }]]);
    off();
    p.deliver(CHANNELS.event, { event: 'lines', data: [] });
    expect(got).toHaveLength(1);
  });

  it('reports the progress of its own export only, and stops listening after it', async () => {
    const p = loadPreload();
    const api = p.exposed.sip2wa as { exportCalls(f: string, filter: unknown, onProgress: (p: unknown) => void): Promise<unknown> };
    const progress: unknown[] = [];
    p.setReply(new Promise(() => undefined));
    void api.exportCalls('csv', {}, (x) => progress.push(x));
    const [, request] = p.invoked.at(-1)! as [string, { id: number; format: string }];
    expect(request).toMatchObject({ format: 'csv', filter: {} });
    p.deliver(CHANNELS.exportProgress, { id: request.id, rows: 5000, bytes: 1_000_000 });
    p.deliver(CHANNELS.exportProgress, { id: request.id + 1, rows: 1, bytes: 1 });
    expect(progress).toEqual([{ rows: 5000, bytes: 1_000_000 }]);
    p.setReply({ ok: true, result: { rows: 1, bytes: 10, savedTo: '/tmp/x.csv' } });
    expect(await api.exportCalls('json', {}, () => undefined)).toEqual({ rows: 1, bytes: 10, savedTo: '/tmp/x.csv' });
    expect(p.listeners.get(CHANNELS.exportProgress)?.size).toBe(1);
  });
});

describe('the built app', () => {
  it('finds the app root from its compiled place', async () => {
    const built = (await import(pathToFileURL(join(ROOT, 'dist/electron/main/app-paths.js')).href)) as { APP_ROOT: string };
    expect(built.APP_ROOT).toBe(ROOT);
    expect(existsSync(join(built.APP_ROOT, 'renderer/dist/index.html'))).toBe(true);
  });

  it('runs the compiled station core in plain Node: workers, prompts and imports resolve in dist/', async () => {
    const adbPort = await freePort();
    const script = join(mkdtempSync(join(tmpdir(), 'sip2wa-built-')), 'run.mjs');
    writeFileSync(script, `
      import { Station } from '${pathToFileURL(join(ROOT, 'dist/electron/station/station.js')).href}';
      const station = new Station({ devices: { adb: { port: ${adbPort} } } });
      await station.start();
      const stats = await station.media.pullStats();
      console.log(JSON.stringify({ workers: stats.length, lines: station.lines().length, info: station.info().version }));
      await station.stop();
    `);
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [script], { cwd: ROOT, timeout: 60_000, env: { ...process.env, SIP2WA_LOG: 'warn' } });
      const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { workers: number; lines: number; info: string };
      expect(out.workers).toBeGreaterThan(0);
      expect(out.lines).toBe(0);
      expect(out.info).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      await killAdbServer(adbPort);
    }
  }, 90_000);
});

describe('electron-builder configuration', () => {
  const require = createRequire(join(ROOT, 'package.json'));

  it('is accepted by electron-builder and targets every platform', async () => {
    const { findAndReadConfig } = require('app-builder-lib/out/util/config/load') as typeof import('app-builder-lib/out/util/config/load');
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as typeof import('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util') as typeof import('builder-util');
    const read = await findAndReadConfig<Record<string, never>>({ packageKey: 'build', configFilename: 'electron-builder', projectDir: ROOT, packageMetadata: null });
    expect(read?.configFile).toBe(join(ROOT, 'electron-builder.yml'));
    const config = read!.result as unknown as BuilderConfig;
    await validateConfiguration(config as never, new DebugLogger(false));
    expect(config.productName).toBe('sip2wa station');
    expect(config.appId).toBe('org.sip2wa.station');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('names files that exist after the build', () => {
    const config = readConfig();
    expect(existsSync(join(ROOT, config.extraMetadata.main))).toBe(true);
    for (const pattern of config.files.filter((f) => !f.startsWith('!'))) {
      const base = pattern.replace(/\/?\*\*\/\*$/, '');
      expect(existsSync(join(ROOT, base)), pattern).toBe(true);
    }
    for (const file of ['dist/electron/preload.cjs', 'dist/electron/station/media/media-worker-boot.mjs', 'dist/assets/prompts', 'renderer/dist/index.html']) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
    // the agents adb pushes: the Android one is built by npm run build:agent (scripts/setup.sh runs it)
    expect(config.extraResources.map((r) => r.to).sort()).toEqual(['agent/sip2wa-agent.jar', 'agent/virtual-agent.jar']);
    for (const { from } of config.extraResources) expect(existsSync(join(ROOT, from)), from).toBe(true);
    for (const icon of [config.linux.icon, config.win.icon, config.mac.icon]) expect(existsSync(join(ROOT, icon)), icon).toBe(true);
  });
});

interface BuilderConfig {
  appId: string;
  productName: string;
  extraMetadata: { main: string };
  files: string[];
  extraResources: { from: string; to: string }[];
  npmRebuild: boolean;
  asarUnpack: string[];
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
}

function readConfig(): BuilderConfig {
  const require = createRequire(join(ROOT, 'package.json'));
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}
