/**
 * Alarms as the operator sees them in chromium against a real station (serve.ts in a child process),
 * kamailio refusing the line's password and one virtual phone: the Events view lists the firing
 * registration alarm with its severity and says the receiver is down with its deliveries queued;
 * Settings' "Send test alarm" reports the receiver failing while it is down and delivered once it is
 * up, and the alarm queued while it was down arrives, signed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../electron/station/alarms/signature';
import { setLogLevel } from '../../electron/station/util/log';
import { VirtualPhoneFarm } from '../../phone-agent/simulator/virtual-phone-farm';
import { adb, freePort, killAdbServer } from '../support/adb';
import { ensureRendererBuilt, launchConsoleBrowser, saveScreenshot, takePageErrors, type ConsoleBrowser } from '../support/browser';
import { Kamailio } from '../support/kamailio';
import { StationProcess } from '../support/station-process';
import { waitFor } from '../support/wait';
import { WebhookReceiver } from '../support/webhook-receiver';

const SECRET = 'browser-test-secret-0123';
const dir = mkdtempSync(join(tmpdir(), 'sip2wa-alarms-browser-'));
const receiver = new WebhookReceiver();
let kamailio: Kamailio;
let farm: VirtualPhoneFarm;
let adbPort = 0;
let station: StationProcess;
let chrome: ConsoleBrowser;
let page: Page;

const nav = (label: string) => page.getByRole('navigation', { name: 'views' }).getByRole('button', { name: label });

beforeAll(async () => {
  setLogLevel('error');
  receiver.port = await freePort(); // down until the test starts it
  await Promise.all([
    ensureRendererBuilt(),
    (async () => {
      kamailio = await Kamailio.start({ users: { '2001': 'line-pass-2001' } });
      adbPort = await freePort();
      await adb(adbPort, 'start-server');
      farm = new VirtualPhoneFarm({ count: 1, basePort: 0, adbPort });
      await farm.start();
    })(),
  ]);
  station = new StationProcess({
    dir,
    adbPort,
    config: {
      version: 1,
      pbx: [{ id: 'office', host: kamailio.address, port: kamailio.port, transport: 'udp', registerExpires: 120 }],
      lines: [{ id: 'wa1', serial: farm.phones[0]!.serial, pbx: 'office', user: '2001', password: 'not-the-password' }],
      media: { bindAddress: '127.0.0.1', rtpPortMin: 48000, rtpPortMax: 48999 },
      alarms: { rules: { 'registration-failed': { holdOffS: 0 } } },
      webhooks: { receivers: [{ id: 'ops', url: receiver.url, secret: SECRET }], retryInitialS: 0.2, retryMaxS: 1 },
    },
  });
  await station.start();
  chrome = await launchConsoleBrowser();
  page = chrome.page;
  await page.goto(station.url);
}, 90_000);

afterEach(() => expect(takePageErrors(chrome)).toEqual([]));

afterAll(async () => {
  await chrome?.close();
  await station?.stop();
  await farm?.stop();
  await kamailio?.dispose();
  await receiver.stop();
  if (adbPort) await killAdbServer(adbPort);
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('alarms in the console', () => {
  it('lists the firing alarm with its severity and the receiver that is down with its queue', { timeout: 60_000 }, async () => {
    await nav('Events').click();
    const row = page.getByTestId('alarm-row').filter({ hasText: 'registration-failed' });
    await row.first().waitFor({ timeout: 30_000 });
    const cells = await row.first().locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['major', 'registration-failed', 'wa1']);
    expect(cells[5]).toMatch(/^line wa1 is not registered: registration failed \(401\)/);
    const waiting = page.getByTestId('receiver-waiting').filter({ hasText: 'ECONNREFUSED' });
    await waiting.first().waitFor({ timeout: 15_000 });
    expect(await waiting.first().textContent()).toMatch(/^Receiver ops: [1-9]\d* deliver(y|ies) queued/);
    await saveScreenshot(page, 'alarms-firing');
  });

  it("says per receiver whether the settings' test alarm got through; the queued alarm arrives once the receiver is up", { timeout: 60_000 }, async () => {
    await nav('Settings').click();
    const section = page.getByTestId('settings-alarms');
    await section.scrollIntoViewIfNeeded();
    await section.getByRole('button', { name: 'Send test alarm' }).click();
    const result = section.getByTestId('test-alarm-result');
    await result.first().waitFor({ timeout: 15_000 });
    expect(await result.first().textContent()).toMatch(/^ops: failed \(http:\/\/127\.0\.0\.1:\d+\/hook: ECONNREFUSED\)$/);

    await receiver.start();
    await section.getByRole('button', { name: 'Send test alarm' }).click();
    await section.getByTestId('test-alarm-result').filter({ hasText: 'ops: delivered (HTTP 200 OK)' }).waitFor({ timeout: 15_000 });
    await section.getByTestId('test-alarm').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'settings-test-alarm');

    const { value: queued } = await waitFor('the alarm queued while the receiver was down', () => receiver.got.find((g) => g.body.rule === 'registration-failed'), 15_000);
    expect(queued.body).toMatchObject({ state: 'raise', line: 'wa1', severity: 'major' });
    expect(verify(SECRET, { signature: queued.headers['x-sip2wa-signature'] as string, timestamp: queued.headers['x-sip2wa-timestamp'] as string }, queued.raw)).toBe(true);
  });
});
