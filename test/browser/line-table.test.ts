/**
 * The line table in chromium against a real station with 64 virtual phones on a private adb server,
 * each a line registered on kamailio: sort by a column, filter, select rows and re-register them in
 * bulk, each row showing its result and kamailio seeing each selected line register again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../electron/station/util/log';
import { VirtualPhoneFarm } from '../../phone-agent/simulator/virtual-phone-farm';
import { adb, freePort, killAdbServer } from '../support/adb';
import { ensureRendererBuilt, launchConsoleBrowser, saveScreenshot, type ConsoleBrowser } from '../support/browser';
import { Kamailio } from '../support/kamailio';
import { StationProcess } from '../support/station-process';
import { waitFor } from '../support/wait';

const PHONES = 64;
const userOf = (i: number): string => String(2001 + i);

const dir = mkdtempSync(join(tmpdir(), 'sip2wa-table-'));
let kamailio: Kamailio;
let farm: VirtualPhoneFarm;
let adbPort = 0;
let station: StationProcess;
let chrome: ConsoleBrowser;
let page: Page;

/** The line's binding in kamailio's usrloc as "Call-ID CSeq" (a REGISTER of the line changes it). */
async function binding(user: string): Promise<string> {
  const b = await kamailio.binding(user);
  if (!b) throw new Error(`no binding for ${user} in kamailio`);
  return `${b.callId} ${b.cseq}`;
}

/** Waits until `count` elements match `selector`. */
async function rowsAre(selector: string, count: number, timeoutMs: number): Promise<void> {
  await waitFor(`${count} of ${selector}`, async () => (await page.locator(selector).count()) === count, timeoutMs);
}

const rowIds = (): Promise<string[]> => page.locator('[data-testid="line-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-line-id') ?? ''));

beforeAll(async () => {
  setLogLevel('error');
  await Promise.all([
    ensureRendererBuilt(),
    (async () => {
      kamailio = await Kamailio.start({ users: Object.fromEntries(Array.from({ length: PHONES }, (_, i) => [userOf(i), `line-pass-${userOf(i)}`])) });
      adbPort = await freePort();
      await adb(adbPort, 'start-server');
      farm = new VirtualPhoneFarm({ count: PHONES, basePort: 0, adbPort, scenario: { contacts: [] } });
      await farm.start();
    })(),
  ]);
  station = new StationProcess({
    dir,
    adbPort,
    config: {
      version: 1,
      pbx: [{ id: 'office', host: kamailio.address, port: kamailio.port, transport: 'udp', registerExpires: 600 }],
      lines: farm.phones.map((phone, i) => ({ id: `wa${i + 1}`, serial: phone.serial, pbx: 'office', user: userOf(i), password: `line-pass-${userOf(i)}`, group: i < 32 ? 'sales' : 'support' })),
      media: { bindAddress: '127.0.0.1', rtpPortMin: 47000, rtpPortMax: 47999 },
    },
  });
  await station.start();
  await station.waitRegistered(PHONES, 120_000);
  chrome = await launchConsoleBrowser();
  page = chrome.page;
  await page.goto(station.url);
}, 240_000);

afterAll(async () => {
  await chrome?.close();
  await station?.stop();
  await farm?.stop();
  await kamailio?.dispose();
  if (adbPort) await killAdbServer(adbPort);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('the line table with 64 virtual lines', () => {
  it('sorts, filters, and re-registers the selected lines with a result per row', { timeout: 90_000 }, async () => {
    await page.getByRole('button', { name: 'Table' }).click();
    await rowsAre('[data-testid="line-row"][data-state="registered"]', PHONES, 30_000);
    await expect(page.getByTestId('sum-registered').textContent()).resolves.toBe(`${PHONES}/${PHONES} registered`);
    expect((await rowIds()).slice(0, 3)).toEqual(['wa1', 'wa2', 'wa3']);

    // Sort by line, reversed: the numeric order, backwards.
    const lineHeader = page.getByRole('columnheader', { name: /^Line/ });
    await lineHeader.getByRole('button').click();
    await expect(lineHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    expect((await rowIds()).slice(0, 3)).toEqual(['wa64', 'wa63', 'wa62']);

    // Filter to the support group: 32 lines, wa33..wa64.
    await page.getByLabel('Group').selectOption('support');
    await rowsAre('[data-testid="line-row"]', 32, 5_000);
    expect((await rowIds()).at(-1)).toBe('wa33');

    const chosen = ['wa40', 'wa50', 'wa60'];
    const before = await Promise.all(chosen.map((id) => binding(userOf(Number(id.slice(2)) - 1))));
    const untouched = await binding(userOf(44));
    for (const id of chosen) await page.getByRole('checkbox', { name: `select line ${id}` }).check();
    await page.getByRole('group', { name: 'actions on the selected lines' }).getByRole('button', { name: 'Re-register' }).click();
    for (const id of chosen) {
      await page.waitForSelector(`[data-testid="line-row"][data-line-id="${id}"] [data-testid="row-result"][data-status="ok"]`, { timeout: 10_000 });
      await expect(page.locator(`[data-testid="line-row"][data-line-id="${id}"] [data-testid="row-result"]`).textContent()).resolves.toBe('registering again');
    }
    // The registrations really happen again: kamailio holds a new binding for each chosen line.
    for (const [i, id] of chosen.entries()) {
      const user = userOf(Number(id.slice(2)) - 1);
      await waitFor(`${id} registered again on kamailio`, async () => (await binding(user)) !== before[i], 15_000);
    }
    await rowsAre('[data-testid="line-row"][data-state="registered"]', 32, 15_000);
    expect(await binding(userOf(44))).toBe(untouched);
    expect(await page.locator('[data-testid="row-result"][data-status="ok"]').count()).toBe(3);
    await saveScreenshot(page, 'table');
    expect(chrome.pageErrors.map((e) => e.message)).toEqual([]);
  });
});
