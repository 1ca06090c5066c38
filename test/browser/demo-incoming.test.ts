/**
 * The demo's other direction as a newcomer tries it in chromium: `npm run serve` starts the demo (a
 * virtual phone and its simulated contacts), Settings connect kamailio and give the phone's line an
 * inbound extension, and "Incoming WhatsApp call…" on the line's card has the demo's echo contact call
 * the phone. The station rings the extension, a real baresip desk phone registered on kamailio answers,
 * and the audio is measured both ways: the desk's 1 kHz test signal goes to the contact and its echo
 * comes back at the desk (frequency, level, correlation with what the desk sent). Without a sound
 * server the station has no headset: the dial pad says so once and its echo test measures the line,
 * a demo contact fills the number for Call, and a page reloaded during the test dial shows it again
 * with its controls.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationConfig } from '../../electron/station/config/schema';
import { freePort, killAdbServer } from '../support/adb';
import { Baresip } from '../support/baresip';
import { ensureRendererBuilt, launchConsoleBrowser, saveScreenshot, type ConsoleBrowser } from '../support/browser';
import { DESK_USER, LINE_USER, testSignal } from '../support/call-rig';
import { expectEchoedTestSignal } from '../support/echo-check';
import { Kamailio } from '../support/kamailio';
import { startServe, type ServeRun } from '../support/serve-process';
import { waitFor } from '../support/wait';

const DESK_PASS = 'desk-pass-1001';
const LINE_PASS = 'line-pass-2001';

const dir = mkdtempSync(join(tmpdir(), 'sip2wa-demo-incoming-'));
let kamailio: Kamailio;
let desk: Baresip;
let serve: ServeRun;
let chrome: ConsoleBrowser;
let page: Page;
let adbPort = 0;
let apiPort = 0;

beforeAll(async () => {
  adbPort = await freePort();
  apiPort = await freePort();
  const sourceWav = join(dir, 'source.wav');
  writeFileSync(sourceWav, testSignal(30));
  await ensureRendererBuilt();
  kamailio = await Kamailio.start({ users: { [LINE_USER]: LINE_PASS, [DESK_USER]: DESK_PASS } });
  desk = new Baresip({
    dir: mkdtempSync(join(dir, 'desk-')),
    registrar: `${kamailio.address}:${kamailio.port}`,
    user: DESK_USER,
    password: DESK_PASS,
    answerMode: 'auto',
    codecs: ['G722'],
    sourceWav,
  });
  // A first start: no configuration in the data folder, so serve runs the demo.
  [serve] = await Promise.all([
    // No sound server: the station has no headset, as on a rack PC.
    startServe(['--data', join(dir, 'data'), '--adb-port', String(adbPort), '--demo-phones', '1', '--demo-base-port', '0'], apiPort, {
      SIP2WA_LOG: 'warn',
      PULSE_SERVER: `unix:${join(dir, 'no-pulse')}`,
    }),
    desk.start().then(() => desk.waitRegistered()),
  ]);
  chrome = await launchConsoleBrowser();
  page = chrome.page;
}, 90_000);

afterAll(async () => {
  await chrome?.close();
  await desk?.stop();
  await serve?.stop();
  await kamailio?.dispose();
  if (adbPort) await killAdbServer(adbPort);
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('the demo: an incoming WhatsApp call from the console', () => {
  it('rings the line inbound extension on a real PBX; baresip answers and the echo contact carries its audio both ways', { timeout: 120_000 }, async () => {
    const { value: phone } = await waitFor('the demo phone ready', () => serve.client.lines().find((l) => l.device?.state === 'ready'), 30_000);
    // Settings connect the PBX and give the demo phone a line whose WhatsApp calls ring the desk phone.
    const { config } = await serve.client.result('settings.get', {});
    const next: StationConfig = {
      ...config,
      pbx: [{ id: 'office', host: kamailio.address, port: kamailio.port, transport: 'udp', keepaliveSeconds: 25, registerExpires: 120 }],
      lines: [{ id: 'wa1', serial: phone.id, pbx: 'office', user: LINE_USER, password: LINE_PASS, codecs: ['G722'], enabled: true, inboundExtension: DESK_USER }],
      media: { ...config.media, bindAddress: '127.0.0.1' },
    };
    await serve.client.result('settings.save', { config: next });
    await waitFor('wa1 registered', () => serve.client.lines().find((l) => l.id === 'wa1')?.registration.state === 'registered', 30_000);

    await page.goto(`http://127.0.0.1:${apiPort}/`);
    await page.locator('[data-testid="line-card"][data-line-id="wa1"][data-state="registered"]').waitFor({ timeout: 20_000 });
    const card = page.locator('[data-testid="line-card"][data-line-id="wa1"]');
    await card.getByRole('button', { name: 'Incoming WhatsApp call…' }).click();
    const panel = card.getByTestId('demo-incoming');
    const info = await serve.client.result('station.info', {});
    const echo = info.demoContacts.find((c) => c.behaviour === 'echo')!;
    await panel.getByTestId('demo-incoming-from').selectOption(echo.number);
    const from = desk.events.length;
    await panel.getByRole('button', { name: `Incoming WhatsApp call from ${echo.name}` }).click();
    expect(await panel.getByTestId('demo-incoming-status').textContent()).toBe(`${echo.name} is calling line wa1: extension ${DESK_USER} rings`);

    // The desk phone rings with the contact as the caller, answers, and the card shows the call connected.
    const incoming = await desk.waitEvent((e) => e.type === 'CALL_INCOMING' || e.type === 'CALL_ESTABLISHED', 20_000, from);
    expect(String(incoming.peeruri)).toContain(echo.number);
    await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000, from);
    await page.waitForSelector('[data-line-id="wa1"] [data-testid="call"][data-call-state="connected"]', { timeout: 15_000 });
    const call = card.getByTestId('call');
    expect(await call.textContent()).toContain(`+${echo.number}`);
    await expect(call.getByTestId('call-codec').textContent()).resolves.toBe('G722');

    // Held until four seconds of the desk's audio reached the station and as much went back to it,
    // counted on the call's own RTP stream (the echo check needs 2.5 s from where the echo is first heard).
    await waitFor(
      'four seconds of RTP each way',
      () => {
        const stats = serve.client.lines().find((l) => l.id === 'wa1')?.call?.stats;
        return stats && stats.packetsReceived >= 200 && stats.packetsSent >= 200;
      },
      30_000,
    );
    await saveScreenshot(page, 'demo-incoming');

    // The operator hangs up from the card; the desk phone's call closes.
    const closing = desk.events.length;
    await card.getByRole('button', { name: 'Hang up' }).click();
    await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 15_000, closing);
    await page.waitForSelector('[data-line-id="wa1"] [data-testid="call"][data-call-state="ended"]', { timeout: 10_000 });

    const figures = expectEchoedTestSignal(desk, 'G722');
    console.log(`demo incoming call, echo at the desk: ${figures.freq.toFixed(1)} Hz, ${figures.level.toFixed(1)} dBFS, correlation ${figures.r.toFixed(3)}, delay ${figures.lagMs.toFixed(0)} ms`);

    // The call log lists it under wa1 as a WhatsApp -> SIP call from the contact, with the phone's serial.
    const records = await serve.client.result('calls.query', { lineId: 'wa1' });
    expect(records.records[0]).toMatchObject({ direction: 'whatsapp-to-sip', lineId: 'wa1', deviceSerial: phone.id, outcome: 'answered' });
  });

  it('without a headset offers the line echo test, and a reopened console shows a test dial in progress with its controls', { timeout: 90_000 }, async () => {
    await page.goto(`http://127.0.0.1:${apiPort}/`);
    const card = page.locator('[data-testid="line-card"][data-line-id="wa1"][data-state="registered"]');
    await card.waitFor({ timeout: 20_000 });
    await card.getByRole('button', { name: 'Test dial' }).click();
    const panel = page.getByTestId('dial-panel');
    const noHeadset = panel.getByTestId('no-headset');
    await noHeadset.waitFor({ timeout: 10_000 });
    expect(await noHeadset.textContent()).toContain('No headset: no sound device with both a microphone and a speaker side found.');
    // The echo test the pad offers: a tone out through the phone, its echo measured back.
    await panel.getByRole('button', { name: 'Echo test on line wa1' }).click();
    const result = panel.getByTestId('dial-echo-result');
    await result.waitFor({ timeout: 30_000 });
    const text = (await result.textContent()) ?? '';
    console.log(`dial pad echo test without headset: ${text}`);
    expect(text).toMatch(/^Echo test passed/);
    expect(Number(/correlation (\d\.\d+)/.exec(text)?.[1])).toBeGreaterThan(0.8);

    // A demo contact fills the number; Call places the (silent) test dial.
    const info = await serve.client.result('station.info', {});
    const echo = info.demoContacts.find((c) => c.behaviour === 'echo')!;
    await panel.getByRole('button', { name: `${echo.name} +${echo.number} · echo` }).click();
    expect(await panel.getByTestId('dial-number').inputValue()).toBe(echo.number);
    await panel.getByTestId('dial-call').click();
    await page.waitForSelector('[data-testid="test-call"][data-call-state="connected"]', { timeout: 20_000 });
    // The no-headset note is said once, not again on the call.
    expect(await panel.getByTestId('audio-problem').count()).toBe(0);

    // The page is closed and opened again: the test dial is still there, with its controls.
    await page.reload();
    const call = page.getByTestId('test-call');
    await call.waitFor({ timeout: 15_000 });
    expect(await call.getAttribute('data-call-state')).toBe('connected');
    expect(await call.textContent()).toContain(`+${echo.number} on line wa1`);
    await call.getByRole('button', { name: 'Hang up' }).click();
    // Ended: the pad was not opened on this page, so it closes with the call; the card shows the call ended.
    await call.waitFor({ state: 'detached', timeout: 15_000 });
    await page.waitForSelector('[data-line-id="wa1"] [data-testid="call"][data-call-state="ended"]', { timeout: 15_000 });
    await waitFor('wa1 free again', () => serve.client.lines().find((l) => l.id === 'wa1')?.registration.state === 'registered', 15_000);
  });
});
