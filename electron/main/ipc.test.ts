/**
 * The IPC choke point with a real station behind it (SQLite, media workers, a private adb server):
 * commands from the console page run through the real command handler, anything from another page,
 * frame or web contents is refused before it reaches the station, events wait until the console
 * listens, passwords never cross to the page, and the call log is saved to the file the operator picks.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { killAdbServer, freePort } from '../../test/support/adb';
import { createCommandHandler } from '../station/server/command-handler';
import type { StationEvent } from '../station/api/contract';
import { insertSyntheticCalls } from '../station/calllog/synthetic-calls';
import { loadConfig } from '../station/config/config-file';
import { isSealed } from '../station/config/secrets';
import { addLogSink } from '../station/util/log';
import type { Station } from '../station/station';
import { BrowserWindow, dialog, FakeFrame, FakeWebContents, ipcMain } from './testing/electron-mock';
import { appPaths } from './app-paths';
import { CHANNELS, type IpcReply } from './channels';
import { REFUSED, setupIpc } from './ipc';
import { APP_PAGE, isAppUrl } from './protocol';
import { safeStorageCodec } from './secrets';
import { StationHost } from './station-host';

vi.mock('electron', () => import('./testing/electron-mock'));

const PASSWORD = 'pbx-extension-secret-2001';
const CALLS = 12_000;
const dir = mkdtempSync(join(tmpdir(), 'sip2wa-ipc-'));
const configFile = join(dir, 'station.json');
const logged: string[] = [];
let adbPort: number;
let host: StationHost;
let station: Station;
let win: BrowserWindow;
let stopIpc: () => void;
const offLog = addLogSink((r) => logged.push(`${r.message} ${JSON.stringify(r.tags)}`));

beforeAll(async () => {
  adbPort = await freePort();
  // Written by hand (or by serve mode): the password is in plain text until the app seals it.
  writeFileSync(configFile, JSON.stringify({
    version: 1,
    pbx: [{ id: 'office', host: '127.0.0.1', port: 5060, transport: 'udp' }],
    lines: [{ id: 'wa1', serial: 'R58MTEST0001', pbx: 'office', user: '2001', password: PASSWORD }],
  }));
  const agents = appPaths({ appData: dir, isPackaged: false, resourcesPath: '' }).agents;
  host = new StationHost({ paths: { userData: dir, configFile, databaseFile: join(dir, 'station.db'), agents }, codec: safeStorageCodec(), adbPort });
  station = await host.start();
  insertSyntheticCalls(station.db!, { count: CALLS, from: Date.now() - 86_400_000, spanMs: 86_400_000, lines: 4 });
  win = new BrowserWindow();
  await win.loadURL(APP_PAGE);
  stopIpc = setupIpc({
    window: () => win as never,
    handle: createCommandHandler(station),
    source: station,
    isAppUrl,
    exports: { calls: () => station, defaultDir: dir },
  });
}, 60_000);

afterAll(async () => {
  stopIpc?.();
  await host?.stop();
  await killAdbServer(adbPort);
  offLog();
});

const page = () => win.webContents;
const command = (name: string, params?: unknown, sender: FakeWebContents = page(), frame: FakeFrame | null = sender.mainFrame) =>
  ipcMain.invoke(CHANNELS.command, sender, frame, { command: name, params }) as Promise<IpcReply>;
const events = () => page().sent.filter(([channel]) => channel === CHANNELS.event).map(([, e]) => e as StationEvent);

describe('IPC choke point', () => {
  it('holds events until the console says it listens, then sends the grid and what waited', async () => {
    station.events.add('warn', 'config', null, 'entry while the page loads');
    expect(events()).toEqual([]);
    // A "ready" from anything but the console page changes nothing.
    const other = new FakeWebContents(APP_PAGE);
    ipcMain.emit(CHANNELS.ready, { sender: other, senderFrame: other.mainFrame });
    expect(events()).toEqual([]);
    ipcMain.emit(CHANNELS.ready, { sender: page(), senderFrame: page().mainFrame });
    const sent = events();
    expect(sent[0]).toMatchObject({ event: 'lines', data: [{ id: 'wa1' }] });
    expect(sent.slice(1)).toContainEqual({ event: 'log', data: expect.objectContaining({ message: 'entry while the page loads' }) });
    station.events.add('info', 'config', null, 'entry while the page listens');
    expect(events().at(-1)).toMatchObject({ event: 'log', data: { message: 'entry while the page listens' } });
    // A reload: nothing is sent until the new page is ready.
    page().emit('did-start-loading');
    const before = events().length;
    station.events.add('info', 'config', null, 'entry during the reload');
    expect(events().length).toBe(before);
  });

  it('runs a command from the console page through the command handler', async () => {
    const reply = await command('lines.list', {});
    expect(reply).toMatchObject({ ok: true, result: [{ id: 'wa1', sip: { user: '2001', pbx: 'office' } }] });
  });

  it('answers bad commands with the contract\'s own message', async () => {
    expect(await command('line.sendDtmf', { lineId: 'wa1', digits: 'x' })).toEqual({ ok: false, error: 'line.sendDtmf: digits: must be 1-32 of 0-9 * # A-D' });
    expect(await command('line.hangUp', { lineId: 'wa1', force: true })).toEqual({ ok: false, error: 'line.hangUp: unknown parameter "force"' });
    expect(await command('lines.delete', {})).toEqual({ ok: false, error: 'unknown command "lines.delete"' });
    expect(await command('line.hangUp', { lineId: 'wa9' })).toEqual({ ok: false, error: 'no line has the id "wa9"' });
    expect(await ipcMain.invoke(CHANNELS.command, page(), page().mainFrame, 'lines.list')).toMatchObject({ ok: false, error: expect.stringMatching(/^a command is/) });
  });

  it('refuses a command from a foreign page, a sub-frame or another web contents, and the station is untouched', async () => {
    const { config } = ((await command('settings.get', {})) as { result: { config: { lines: { enabled: boolean }[] } } }).result;
    const disabling = { config: { ...config, lines: config.lines.map((l) => ({ ...l, enabled: false })) } };
    const other = new FakeWebContents(APP_PAGE);
    page().mainFrame.url = 'https://attacker.example/';
    const foreignPage = await command('settings.save', disabling);
    page().mainFrame.url = APP_PAGE;
    const subFrame = await command('settings.save', disabling, page(), new FakeFrame(APP_PAGE));
    const otherContents = await command('settings.save', disabling, other);
    const goneFrame = await command('settings.save', disabling, page(), null);
    for (const reply of [foreignPage, subFrame, otherContents, goneFrame]) expect(reply).toEqual({ ok: false, error: REFUSED });
    expect(station.config.lines[0]!.enabled).toBe(true);
    const exportFromOther = await ipcMain.invoke(CHANNELS.export, other, other.mainFrame, { id: 1, format: 'csv', filter: {} });
    expect(exportFromOther).toEqual({ ok: false, error: REFUSED });
  });

  it('keeps passwords sealed at rest and away from the page and the logs', async () => {
    const stored = readFileSync(configFile, 'utf8');
    expect(stored).not.toContain(PASSWORD);
    expect(isSealed((JSON.parse(stored) as { lines: { password: string }[] }).lines[0]!.password)).toBe(true);
    const got = (await command('settings.get', {})) as { ok: true; result: { config: unknown; secrets: string } };
    expect(got.result.secrets).toBe('encrypted');
    expect(JSON.stringify(got)).not.toContain(PASSWORD);
    // Saved back as the settings page does (the password masked): still the same password, still sealed.
    const saved = await command('settings.save', { config: got.result.config });
    expect(saved.ok).toBe(true);
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
    expect(readFileSync(configFile, 'utf8')).not.toContain(PASSWORD);
    expect((await loadConfig(configFile, safeStorageCodec())).lines[0]!.password).toBe(PASSWORD);
    expect(page().sent.some(([, payload]) => JSON.stringify(payload).includes(PASSWORD))).toBe(false);
    expect(logged.some((line) => line.includes(PASSWORD))).toBe(false);
  });

  it('saves the call log to the file the operator picks, with progress, and nothing when cancelled', async () => {
    const file = join(dir, 'calls.csv');
    dialog.nextSavePath = file;
    const reply = (await ipcMain.invoke(CHANNELS.export, page(), page().mainFrame, { id: 7, format: 'csv', filter: {} })) as IpcReply<{ rows: number; bytes: number; savedTo: string }>;
    expect(reply).toMatchObject({ ok: true, result: { rows: CALLS, savedTo: file } });
    const text = readFileSync(file, 'utf8');
    expect(text.trimEnd().split('\r\n')).toHaveLength(CALLS + 1);
    expect(reply.ok && reply.result.bytes).toBe(Buffer.byteLength(text));
    expect(existsSync(`${file}.part`)).toBe(false);
    const progress = page().sent.filter(([c]) => c === CHANNELS.exportProgress).map(([, p]) => p as { id: number; rows: number; bytes: number });
    expect(progress.map((p) => p.rows)).toEqual([5000, 10_000, CALLS]);
    expect(progress.every((p) => p.id === 7)).toBe(true);
    expect(progress[0]!.bytes).toBeGreaterThan(0);
    expect(progress.at(-1)!.bytes).toBe(Buffer.byteLength(text));

    const json = join(dir, 'calls.json');
    dialog.nextSavePath = json;
    const one = await ipcMain.invoke(CHANNELS.export, page(), page().mainFrame, { id: 8, format: 'json', filter: { lineId: 'wa1' } });
    const records = JSON.parse(readFileSync(json, 'utf8')) as { lineId: string }[];
    expect(one).toMatchObject({ ok: true, result: { rows: records.length } });
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.lineId === 'wa1')).toBe(true);

    dialog.nextSavePath = null;
    expect(await ipcMain.invoke(CHANNELS.export, page(), page().mainFrame, { id: 9, format: 'csv', filter: {} })).toEqual({ ok: true, result: { rows: 0, bytes: 0, savedTo: null } });
    expect(await ipcMain.invoke(CHANNELS.export, page(), page().mainFrame, { id: 10, format: 'xml', filter: {} })).toEqual({ ok: false, error: 'export: format must be one of csv, json, asterisk' });
    expect(await ipcMain.invoke(CHANNELS.export, page(), page().mainFrame, { id: 11, format: 'csv', filter: { number: 'abc' } })).toEqual({ ok: false, error: 'export: number: must be digits' });
  });
});
