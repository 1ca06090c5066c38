/**
 * The operator console in a real browser: Debian's chromium driven by playwright-core (no browser
 * download), the console built from renderer/src when its build is missing or older than its sources,
 * and every page error collected so a test can fail on it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const RENDERER = join(ROOT, 'renderer');
const DIST = join(RENDERER, 'dist');
const BUILT_INDEX = join(DIST, 'index.html');
export const SCREENSHOT_DIR = join(ROOT, 'docs', 'screenshots');

export const CHROMIUM = '/usr/bin/chromium';
/**
 * Headless with nothing that reaches out: without the background-networking flags chromium floods a
 * closed network with refused connections; QUIC would try UDP to the same servers.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const VIEWPORT = { width: 1400, height: 900 };

/** Newest modification time of the files under `dir` (tests and test support do not reach the build). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support') newest = Math.max(newest, newestSource(path));
    } else if (!/\.test\.tsx?$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * Builds the console (`npm run build:renderer`) unless renderer/dist is newer than every source file.
 * The build goes to a folder beside dist and replaces it by renames, so a test serving dist at the same
 * time never finds it emptied half-way.
 */
export async function ensureRendererBuilt(): Promise<{ built: boolean }> {
  const sources = Math.max(newestSource(join(RENDERER, 'src')), statSync(join(RENDERER, 'index.html')).mtimeMs, statSync(join(RENDERER, 'vite.config.ts')).mtimeMs);
  if (existsSync(BUILT_INDEX) && statSync(BUILT_INDEX).mtimeMs >= sources) return { built: false };
  const fresh = join(RENDERER, `.dist-${process.pid}`);
  const old = join(RENDERER, `.dist-old-${process.pid}`);
  try {
    await run('npm', ['run', 'build:renderer', '--', '--outDir', fresh], { cwd: ROOT, timeout: 120_000, maxBuffer: 16 << 20 });
    if (existsSync(DIST)) renameSync(DIST, old);
    renameSync(fresh, DIST);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm run build:renderer failed: ${e.stderr || e.stdout || e.message}`);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  return { built: true };
}

export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** console.error messages of the page, with where they came from. */
  consoleErrors: string[];
  /** Exceptions nothing in the page caught. */
  pageErrors: Error[];
  close(): Promise<void>;
}

/**
 * What the page threw since the last call (stacks), after printing what it logged as errors: a test's
 * afterEach expects it empty, so each test answers for its own errors only.
 */
export function takePageErrors(chrome: ConsoleBrowser | undefined): string[] {
  const logged = chrome?.consoleErrors.splice(0) ?? [];
  const thrown = chrome?.pageErrors.splice(0) ?? [];
  if (logged.length) console.log(`page console errors:\n${logged.join('\n')}`);
  return thrown.map((e) => e.stack ?? e.message);
}

/** A fresh chromium (its own temporary profile) with one page at 1400x900 that accepts downloads. */
export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const pageErrors: Error[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url}:${msg.location().lineNumber})`);
  });
  page.on('pageerror', (err) => pageErrors.push(err));
  return {
    browser,
    context,
    page,
    consoleErrors,
    pageErrors,
    close: async () => {
      await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/** Saves what the page shows to docs/screenshots/NAME.png (the viewport, as an operator sees it). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
