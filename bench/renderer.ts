/**
 * Console bench: how busy the browser's main thread is when the grid, then the line table, shows 64
 * lines and the station pushes 10 snapshots a second (half the lines in calls, levels, jitter and
 * packet counts changing).
 *
 * The built console (renderer/dist) is served by the real API server (`startApiServer` with the
 * WebSocket adapter) from a synthetic source of 64 complete LineViews, and opened in chromium. After
 * 2 s to settle, CDP's Performance metrics are read at the start and end of the window: TaskDuration
 * is the renderer main thread's busy time (script, style, layout, paint and the rest); frames are
 * requestAnimationFrame callbacks counted in the page. The reference in the same run is the same page
 * and the same 64 lines with no updates (the call timers still tick once a second), for the grid and for
 * the table alike. The snapshots change live figures only (levels, jitter, packet counts, ping), which
 * the console draws at most five times a second (renderer/src/store/live-figures.ts); `snapshots`
 * counts what the station pushed.
 *
 *   npx tsx bench/renderer.ts [--seconds 10] [--css '.line-card { content-visibility: auto }']
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import type { CommandHandler } from '../electron/station/server/command-handler';
import { ApiError } from '../electron/station/api/contract';
import { startApiServer } from '../electron/station/server/http-server';
import type { LineView, StationInfo } from '../electron/station/api/types';
import type { WsSource } from '../electron/station/server/ws-server';
import { ensureRendererBuilt, launchConsoleBrowser } from '../test/support/browser';

const LINES = 64;
const UPDATE_HZ = 10;
const SETTLE_MS = 2_000;
/** The goal: the console leaves three quarters of the main thread free at full load. */
const TARGET_BUSY = 0.25;

const INFO: StationInfo = {
  version: '0.1.0',
  demo: false,
  demoContacts: [],
  pbxConfigured: true,
  audio: { available: true, reason: null },
  echoNumber: '15550109001',
};

/** Line i as the station would show it: a ready phone, its agent, registered; odd lines in a call. */
function makeLine(i: number, now: number): LineView {
  const id = `wa${i + 1}`;
  const serial = `R58N${String(1000 + i)}ABC`;
  const props = { serialNo: serial, manufacturer: 'Samsung', model: 'SM-A525F', androidVersion: '14', sdk: 34, virtual: false };
  const inCall = i % 2 === 1;
  const started = new Date(now - 5_000 - i * 7_000).toISOString();
  return {
    id,
    device: { serial, state: 'ready', detail: '', since: new Date(now - 3_600_000).toISOString(), lastError: null, props, pingRttMs: 2 + (i % 5) },
    agent: {
      software: 'sip2wa-agent/1',
      account: `62812000${String(1000 + i)}`,
      whatsappVersion: '2.24.18.79',
      androidVersion: '14',
      sdk: 34,
      manufacturer: 'Samsung',
      model: 'SM-A525F',
      batteryLevel: 40 + (i % 60),
      charging: i % 3 !== 0,
      temperatureDeciC: 300 + i,
      networkType: i % 4 === 0 ? 'cellular' : 'wifi',
      signalLevel: i % 5,
      audioRoute: 'audio-policy',
      accountState: 'registered',
    },
    registration: { state: inCall ? 'in-call' : 'registered', reason: '', code: null },
    call: inCall
      ? {
          id: `call-${i}`,
          direction: i % 4 === 1 ? 'sip-to-whatsapp' : 'whatsapp-to-sip',
          state: 'connected',
          number: `62857${String(3000000 + i * 7919)}`,
          name: `Customer ${i}`,
          codec: i % 3 === 0 ? 'PCMU' : 'G722',
          startedAt: started,
          answeredAt: new Date(Date.parse(started) + 3_000).toISOString(),
          endedAt: null,
          outcome: null,
          sipCode: null,
          hangupSide: null,
          dtmf: '',
          callerId: `10${String(i).padStart(2, '0')}`,
          destinationSource: 'display-name',
          rule: null,
          endReason: null,
          endCause: null,
          sipLineId: id,
          phoneLineId: id,
          ringingAt: new Date(Date.parse(started) + 1_000).toISOString(),
          stats: { packetsSent: 0, packetsReceived: 0, lost: 0, jitterMs: 1.5, late: 0, discarded: 0, levelInDbfs: -20, levelOutDbfs: -22, foreignPackets: 0 },
        }
      : null,
    lastCall: null,
    sip: { user: String(2001 + i), pbx: 'office', group: i < 32 ? 'sales' : 'support', enabled: true },
    today: {
      attempts: 10 + i,
      answered: 7 + (i % 10),
      filtered: i % 3,
      asr: (7 + (i % 10)) / (10 + i),
      acdSeconds: 60 + i,
      uniqueNumbers: 8 + (i % 12),
      caps: { uniquePerHour: 20, uniquePerDay: 100 },
      uniqueLastHour: i % 20,
    },
    paused: null,
    account: { state: 'registered', since: started },
    guard: null,
  };
}

/** A station stand-in for the WebSocket adapter: 64 lines, changed `hz` times a second when running. */
class SyntheticStation implements WsSource {
  readonly views: LineView[];
  private listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private tick = 0;
  updates = 0;

  constructor() {
    const now = Date.now();
    this.views = Array.from({ length: LINES }, (_, i) => makeLine(i, now));
  }

  lines(): LineView[] {
    return this.views;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Every call's stats move as 50 packets a second each way would move them; each phone's ping round
   * trip changes once a second (the agent is pinged every second), staggered over the lines.
   */
  private step(): void {
    this.tick++;
    for (const [i, line] of this.views.entries()) {
      if (line.device && (this.tick + i) % UPDATE_HZ === 0) line.device.pingRttMs = 2 + ((i + this.tick) % 7);
      const stats = line.call?.stats;
      if (!stats) continue;
      stats.packetsSent += 5;
      stats.packetsReceived += 5;
      if ((this.tick + i) % 50 === 0) stats.lost++;
      stats.jitterMs = 1 + ((this.tick * 7 + i * 13) % 40) / 10;
      stats.levelInDbfs = -30 + ((this.tick * 3 + i * 5) % 200) / 10;
      stats.levelOutDbfs = -32 + ((this.tick * 5 + i * 3) % 200) / 10;
    }
    this.updates++;
    for (const l of this.listeners) l();
  }

  start(hz: number): void {
    this.timer = setInterval(() => this.step(), 1000 / hz);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Answers the commands the console sends when it connects; anything else is refused. */
function handlerFor(station: SyntheticStation): CommandHandler {
  return async (command) => {
    if (command === 'station.info') return INFO;
    if (command === 'events.list') return [];
    if (command === 'lines.list') return station.lines();
    throw new ApiError(`${command}: not available in the bench`);
  };
}

export interface RendererWindow {
  mode: string;
  seconds: number;
  /** Main-thread busy time per second of wall clock, in ms, and its parts. */
  busyMsPerS: number;
  scriptMsPerS: number;
  layoutMsPerS: number;
  styleMsPerS: number;
  fps: number;
  /** Snapshots pushed by the station during the window. */
  snapshots: number;
}

async function metrics(cdp: { send(method: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }> }): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** Main-thread time and frames over `seconds`, from CDP metrics deltas and a rAF counter in the page. */
async function measureWindow(page: Page, mode: string, seconds: number, station: SyntheticStation): Promise<RendererWindow> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  // Strings run in the page: this file is compiled without the DOM library.
  await page.evaluate(`window.__frames = 0; (function count() { window.__frames++; requestAnimationFrame(count); })()`);
  const updates0 = station.updates;
  const before = await metrics(cdp);
  const frames0 = (await page.evaluate('window.__frames')) as number;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = await metrics(cdp);
  const frames1 = (await page.evaluate('window.__frames')) as number;
  const wall = (performance.now() - t0) / 1000;
  await cdp.detach();
  const perS = (name: string): number => ((after[name]! - before[name]!) * 1000) / wall;
  return {
    mode,
    seconds: wall,
    busyMsPerS: perS('TaskDuration'),
    scriptMsPerS: perS('ScriptDuration'),
    layoutMsPerS: perS('LayoutDuration'),
    styleMsPerS: perS('RecalcStyleDuration'),
    fps: (frames1 - frames0) / wall,
    snapshots: station.updates - updates0,
  };
}

/**
 * Both windows, idle then 10 Hz. `css` is one extra rule added to the page before measuring, to try a
 * styling change on the built console without rebuilding it.
 */
export async function measureRenderer(seconds: number, css?: string): Promise<RendererWindow[]> {
  await ensureRendererBuilt();
  const station = new SyntheticStation();
  const api = await startApiServer(station, '127.0.0.1', 0, { ws: { source: station, handle: handlerFor(station) } });
  const chrome = await launchConsoleBrowser();
  try {
    const { page } = chrome;
    await page.goto(api.url);
    await page.waitForFunction(`document.querySelectorAll('[data-testid="line-card"]').length === ${LINES}`, null, { timeout: 20_000 });
    // CSSOM, not a style tag: the console's CSP refuses inline styles.
    if (css) await page.evaluate(`document.styleSheets[0].insertRule(${JSON.stringify(css)}, document.styleSheets[0].cssRules.length)`);
    const rows: RendererWindow[] = [];
    // The card grid, then the line table, each idle and at 10 Hz in the same page and run.
    for (const view of ['grid', 'table'] as const) {
      if (view === 'table') {
        await page.getByRole('button', { name: 'Table' }).click();
        await page.waitForFunction(`document.querySelectorAll('[data-testid="line-row"]').length === ${LINES}`, null, { timeout: 20_000 });
      }
      await page.waitForTimeout(SETTLE_MS);
      rows.push(await measureWindow(page, `${view} idle`, seconds, station));
      station.start(UPDATE_HZ);
      await page.waitForTimeout(SETTLE_MS);
      rows.push(await measureWindow(page, `${view} ${UPDATE_HZ} Hz`, seconds, station));
      station.stop();
    }
    if (chrome.pageErrors.length) throw new Error(`the console threw: ${chrome.pageErrors.map((e) => e.message).join('; ')}`);
    return rows;
  } finally {
    station.stop();
    await chrome.close();
    await api.close();
  }
}

export async function runRendererBench(seconds = 10, css?: string): Promise<string> {
  const rows = await measureRenderer(seconds, css);
  const out = [
    `\nConsole: ${LINES} lines (${LINES / 2} in calls) in chromium, main thread over ${seconds} s after ${SETTLE_MS / 1000} s to settle${css ? ` (with ${css})` : ''}`,
    'mode                 snapshots   busy ms/s   busy %   script ms/s   style ms/s   layout ms/s     fps',
  ];
  for (const r of rows) {
    out.push(
      [
        r.mode.padEnd(19),
        String(r.snapshots).padStart(10),
        r.busyMsPerS.toFixed(1).padStart(11),
        `${((r.busyMsPerS / 1000) * 100).toFixed(1)} %`.padStart(8),
        r.scriptMsPerS.toFixed(1).padStart(13),
        r.styleMsPerS.toFixed(1).padStart(12),
        r.layoutMsPerS.toFixed(1).padStart(13),
        r.fps.toFixed(1).padStart(7),
      ].join(' '),
    );
  }
  for (let i = 0; i + 1 < rows.length; i += 2) {
    const [idle, loaded] = [rows[i]!, rows[i + 1]!];
    out.push(
      `${loaded.mode}: the main thread is busy ${((loaded.busyMsPerS / 1000) * 100).toFixed(1)} % of each second ` +
        `(target < ${TARGET_BUSY * 100} %), ${(loaded.busyMsPerS - idle.busyMsPerS).toFixed(1)} ms/s more than idle`,
    );
  }
  return out.join('\n');
}

// Run on its own: `npx tsx bench/renderer.ts`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, css: { type: 'string' } } });
  const seconds = Number(values.seconds ?? 10);
  if (!(seconds > 0)) {
    process.stderr.write('usage: npx tsx bench/renderer.ts [--seconds 10] [--css RULE]\n');
    process.exit(2);
  }
  console.log(await runRendererBench(seconds, values.css));
  process.exit(0);
}
