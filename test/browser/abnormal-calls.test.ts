/**
 * Calls that end abnormally, as the operator sees them in chromium against a real station (serve.ts in
 * a child process), kamailio as the PBX, one virtual phone on a private adb server and RFC 3261's own
 * timers:
 *
 * - a SIPp caller whose ACK never comes: 32 s after the answer the call log lists the call flagged
 *   "no ACK", billed 0 s, with the reason naming Record-Route / NAT, and the line is registered (free);
 * - the line's next call, from a baresip desk phone to a contact that plays a tone, with the desk phone
 *   muted: the events panel shows the one-way audio warning on the line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../electron/station/util/log';
import { VirtualPhoneFarm } from '../../phone-agent/simulator/virtual-phone-farm';
import { adb, freePort, killAdbServer } from '../support/adb';
import { Baresip, dialOutcome } from '../support/baresip';
import { ensureRendererBuilt, launchConsoleBrowser, saveScreenshot, takePageErrors, type ConsoleBrowser } from '../support/browser';
import { DESK_USER, ECHO, TONE, testSignal } from '../support/call-rig';
import { Kamailio } from '../support/kamailio';
import { runSipp } from '../support/sipp';
import { StationProcess } from '../support/station-process';

const DESK_PASS = 'desk-pass-1001';
const LINE_USER = '2001';

const dir = mkdtempSync(join(tmpdir(), 'sip2wa-abnormal-'));
let kamailio: Kamailio;
let farm: VirtualPhoneFarm;
let adbPort = 0;
let station: StationProcess;
let desk: Baresip;
let chrome: ConsoleBrowser;
let page: Page;

const nav = (label: string) => page.getByRole('navigation', { name: 'views' }).getByRole('button', { name: label });

beforeAll(async () => {
  setLogLevel('error');
  await Promise.all([
    ensureRendererBuilt(),
    (async () => {
      kamailio = await Kamailio.start({ users: { [LINE_USER]: `line-pass-${LINE_USER}`, [DESK_USER]: DESK_PASS } });
      adbPort = await freePort();
      await adb(adbPort, 'start-server');
      farm = new VirtualPhoneFarm({
        count: 1,
        basePort: 0,
        adbPort,
        scenario: {
          contacts: [
            { number: ECHO, name: 'Echo', behaviour: 'echo', answerAfterMs: 300 },
            { number: TONE, name: 'Tone Lady', behaviour: 'tone', frequencyHz: 700 },
          ],
        },
      });
      await farm.start();
    })(),
  ]);
  station = new StationProcess({
    dir,
    adbPort,
    config: {
      version: 1,
      pbx: [{ id: 'office', host: kamailio.address, port: kamailio.port, transport: 'udp', registerExpires: 120 }],
      lines: [{ id: 'wa1', serial: farm.phones[0]!.serial, pbx: 'office', user: LINE_USER, password: `line-pass-${LINE_USER}`, inboundExtension: DESK_USER }],
      media: { bindAddress: '127.0.0.1', rtpPortMin: 47000, rtpPortMax: 47999 },
      routing: { prefixes: [{ prefix: '00111' }] },
      policy: { pauseBetweenCalls: { enabled: false } },
    },
  });
  const sourceWav = join(dir, 'source.wav');
  writeFileSync(sourceWav, testSignal(30));
  desk = new Baresip({
    dir: mkdtempSync(join(dir, 'desk-')),
    registrar: `${kamailio.address}:${kamailio.port}`,
    user: DESK_USER,
    password: DESK_PASS,
    displayName: 'Reception',
    codecs: ['PCMU'],
    sourceWav,
  });
  await Promise.all([station.start().then(() => station.waitRegistered(1)), desk.start().then(() => desk.waitRegistered())]);
  chrome = await launchConsoleBrowser();
  page = chrome.page;
  await page.goto(station.url);
}, 90_000);

afterEach(() => expect(takePageErrors(chrome)).toEqual([]));

afterAll(async () => {
  await chrome?.close();
  await desk?.stop();
  await station?.stop();
  await farm?.stop();
  await kamailio?.dispose();
  if (adbPort) await killAdbServer(adbPort);
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('calls that end abnormally, in the console', () => {
  it('lists a call whose ACK never came flagged "no ACK", billed 0 s, and the line free again', { timeout: 90_000 }, async () => {
    await nav('Lines').click();
    const wa1 = page.locator('[data-line-id="wa1"]').first();
    // SIPp answers nothing after the 200; the station gives up after 64*T1 = 32 s and sends BYE.
    const sipp = runSipp({ scenario: 'uac-no-ack.xml', remote: `${kamailio.address}:${kamailio.port}`, service: `00111${ECHO}`, timeoutMs: 60_000 });
    await page.locator('[data-line-id="wa1"][data-state="in-call"]').first().waitFor({ timeout: 15_000 });
    const run = await sipp;
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    await page.locator('[data-line-id="wa1"][data-state="registered"]').first().waitFor({ timeout: 10_000 });
    expect(await wa1.getAttribute('data-state')).toBe('registered');

    await nav('Call log').click();
    const row = page.getByTestId('call-row').filter({ has: page.locator('[data-testid="end-cause"][data-cause="no-ack"]') });
    await row.first().waitFor({ timeout: 10_000 });
    // The row's cells by their column's heading (the call log's columns may grow).
    const headings = await page.locator('section.call-log table.records > thead th').allTextContents();
    const values = await row.first().locator('td').allTextContents();
    const cell = (heading: string) => values[headings.indexOf(heading)];
    expect(['Line', 'Direction', 'Caller', 'Destination', 'Outcome', 'SIP', 'Billed s'].map(cell)).toEqual(['wa1', 'sip-to-whatsapp', '1001', ECHO, 'answered', '200', '0']);
    expect(cell('Rule / hung up by')).toBe('no ACK no ACK from the PBX for 32 s: check Record-Route / NAT on the PBX');
    await saveScreenshot(page, 'abnormal-call-log');
  });

  it('shows one-way audio on the line in the events panel when the desk phone is muted', { timeout: 60_000 }, async () => {
    const r = await dialOutcome(desk, `sip:00111${TONE}@${kamailio.address}:${kamailio.port}`);
    expect(r.established, r.reason).toBe(true);
    desk.command('mute');
    await nav('Events').click();
    const event = page.getByTestId('event-row').filter({ hasText: 'one-way audio' });
    // Ten seconds of a silent desk phone while the contact's tone is heard.
    await event.first().waitFor({ timeout: 30_000 });
    const cells = await event.first().locator('td').allTextContents();
    expect(cells.slice(1, 4)).toEqual(['warn', 'audio', 'wa1']);
    expect(cells[4]).toMatch(/^call with 15550109002: one-way audio: nothing heard from the PBX side for 1\d s while the phone side speaks/);
    await saveScreenshot(page, 'one-way-audio-event');
    const from = desk.events.length;
    desk.hangup();
    await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, from);
  });
});
