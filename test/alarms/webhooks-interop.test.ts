/**
 * Alarms and call records delivered to a real HTTP receiver on loopback by a real station (kamailio,
 * a virtual phone, a baresip desk phone): a finished call posts its record; a registration that fails
 * (a wrong password saved in settings) raises a signed alarm after its hold-off and clears when the
 * password is fixed; with the receiver down the alarm waits in the on-disk queue, also across a station
 * restart, and arrives once when the receiver is back; the settings' test alarm reports each receiver
 * (delivered, refused with 401, unreachable), mails through a local SMTP server and texts from one
 * virtual phone's WhatsApp to another's, which both also get the real alarm; a receiver's 401 is a failure for good, shown in GET /api/alarms and in the events.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmsView, TestAlarmResult } from '../../electron/station/api/types';
import type { CallRecord } from '../../electron/station/calllog/call-record';
import type { StationConfig } from '../../electron/station/config/schema';
import { verify } from '../../electron/station/alarms/signature';
import { createCommandHandler } from '../../electron/station/server/command-handler';
import { startApiServer, type ApiServer } from '../../electron/station/server/http-server';
import { freePort } from '../support/adb';
import { dialOutcome } from '../support/baresip';
import { CallRig, ECHO } from '../support/call-rig';
import { waitFor } from '../support/wait';
import { WebhookReceiver, type Received } from '../support/webhook-receiver';

const SECRET = 'receiver-secret-0123456789';
const SMTP_USER = 'alarms';
const SMTP_PASS = 'smtp-pass-0123';
const receiver = new WebhookReceiver();
const dir = mkdtempSync(join(tmpdir(), 'sip2wa-alarms-'));
let rig: CallRig;
let api: ApiServer;
let good: StationConfig;

const signed = (g: Received) =>
  verify(SECRET, { signature: g.headers['x-sip2wa-signature'] as string, timestamp: g.headers['x-sip2wa-timestamp'] as string }, g.raw);
/** The configuration with wa1's password replaced (wa2 stays registered: it sends and receives the WhatsApp alarms). */
const withPassword = (c: StationConfig, password: string): StationConfig => ({ ...c, lines: c.lines.map((l) => (l.id === 'wa1' ? { ...l, password } : l)) });
const alarmsApi = async (): Promise<AlarmsView> => (await fetch(`${api.url}/api/alarms`)).json() as Promise<AlarmsView>;
const ops = () => rig.station.alarms!.view().receivers.find((r) => r.id === 'ops')!;

beforeAll(async () => {
  await receiver.start();
  rig = new CallRig({
    phones: 2,
    databaseFile: join(dir, 'station.db'),
    config: {
      webhooks: { receivers: [{ id: 'ops', url: receiver.url, secret: SECRET, alarms: 'warning', callRecords: true }], retryInitialS: 0.1, retryMaxS: 0.4, timeoutS: 2 },
      alarms: { rules: { 'registration-failed': { holdOffS: 1 } } },
    },
  });
  await rig.start();
  good = rig.station.config;
  // The API follows the rig's station, which the restart test replaces.
  api = await startApiServer({ lines: () => rig.station.lines(), alarms: { view: () => rig.station.alarms!.view() } }, '127.0.0.1', 0, { consoleDir: null });
}, 90_000);
afterAll(async () => {
  await api?.close();
  await rig?.stop();
  await receiver.stop();
});

describe('webhooks', () => {
  it('posts the record of a finished call, signed, as the JSON export has it', { timeout: 60_000 }, async () => {
    const desk = await rig.deskPhone('PCMU', 'manual', ECHO);
    const line = rig.station.line('wa1')!;
    try {
      expect((await dialOutcome(desk, rig.lineUri)).established).toBe(true);
      await waitFor('call connected', () => line.call?.state === 'connected');
      const callId = line.call!.id;
      desk.hangup();
      const { value: post } = await waitFor('the call record at the receiver', () =>
        receiver.got.find((g) => g.body.type === 'call-record' && (g.body.record as CallRecord).callId === callId),
      );
      expect(signed(post)).toBe(true);
      const record = post.body.record as CallRecord;
      expect(record).toMatchObject({ lineId: 'wa1', destination: ECHO, direction: 'sip-to-whatsapp', outcome: 'answered' });
      expect(record).toEqual(JSON.parse(JSON.stringify(rig.station.callLog!.get(record.id))));
      expect(post.body.station).toEqual(expect.any(String));
    } finally {
      await desk.stop();
    }
  });

  it('raises a signed alarm for a registration that keeps failing past its hold-off, and clears it when the password is fixed', { timeout: 60_000 }, async () => {
    await rig.station.saveSettings(withPassword(good, 'wrong-password'));
    const { value: raise } = await waitFor('the alarm at the receiver', () => receiver.got.find((g) => g.body.rule === 'registration-failed' && g.body.state === 'raise'), 30_000);
    expect(signed(raise)).toBe(true);
    expect(raise.body).toMatchObject({ type: 'alarm', severity: 'major', line: 'wa1', serial: rig.farm.phones[0]!.serial });
    expect(raise.body.message).toMatch(/^line wa1 is not registered: registration failed/);
    // Raised by the hold-off (1 s after the first failure), not at the failure.
    expect(Date.parse(raise.body.time as string) - Date.parse(raise.body.firstAt as string)).toBeGreaterThanOrEqual(1000);
    expect((await alarmsApi()).firing).toEqual([expect.objectContaining({ id: raise.body.id, rule: 'registration-failed', lineId: 'wa1', state: 'firing' })]);

    await rig.station.saveSettings(good);
    const { value: clear } = await waitFor('the clear at the receiver', () => receiver.got.find((g) => g.body.id === raise.body.id && g.body.state === 'clear'), 30_000);
    expect(signed(clear)).toBe(true);
    expect(clear.body.message).toMatch(/^line wa1 is registered again/);
    const view = await alarmsApi();
    expect(view.firing).toEqual([]);
    expect(view.recent[0]).toMatchObject({ id: raise.body.id, state: 'cleared' });
  });

  it('keeps alarms on disk while the receiver is down, across a station restart, and delivers each once when it is back', { timeout: 90_000 }, async () => {
    await receiver.stop();
    await rig.station.saveSettings(withPassword(good, 'wrong-password'));
    const { value: firing } = await waitFor('the alarm raised', () => rig.station.alarms!.view().firing.find((a) => a.rule === 'registration-failed'), 30_000);
    await waitFor('the receiver failing, said in the events', () =>
      rig.station.events.list().find((e) => e.kind === 'alarm' && e.level === 'warn' && /receiver ops failed: .*ECONNREFUSED/.test(e.message)),
    );
    expect(ops().queued).toBeGreaterThanOrEqual(1);
    expect(ops().lastError).toMatch(/ECONNREFUSED/);

    const config = rig.station.config;
    await rig.station.stop();
    rig.station = rig.newStation(config);
    await rig.station.start();
    expect(ops().queued).toBeGreaterThanOrEqual(1);
    await receiver.start();
    await waitFor('the alarm of the last run at the receiver', () => receiver.got.some((g) => g.body.id === firing.id && g.body.state === 'raise'), 30_000);
    await waitFor('the queue empty', () => ops().queued === 0 && rig.station.alarms!.view().firing.length > 0, 30_000);
    const deliveries = receiver.got.map((g) => g.headers['x-sip2wa-delivery']);
    expect(new Set(deliveries).size).toBe(deliveries.length);
    expect(receiver.got.filter((g) => g.body.id === firing.id)).toHaveLength(1);
    expect(receiver.got.every(signed)).toBe(true);
    await rig.station.saveSettings(good);
    await waitFor('registered again, its clear delivered', () => rig.station.line('wa1')?.state === 'registered' && rig.station.alarms!.view().firing.length === 0 && ops().queued === 0, 20_000);
  });

  it("sends the settings' test alarm to each receiver, by mail and as a WhatsApp text, and shows a receiver's 401 as a failure for good", { timeout: 60_000 }, async () => {
    const mails: { to: string[]; raw: string }[] = [];
    const smtp = new SMTPServer({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth: (auth, _session, cb) => (auth.username === SMTP_USER && auth.password === SMTP_PASS ? cb(null, { user: SMTP_USER }) : cb(new Error('Invalid username or password'))),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as { port: number }).port;
    const wa2Account = rig.farm.phones[1]!.device.account;
    const textsOnWa2 = () => rig.station.messages!.list({ lineId: 'wa2' }).filter((m) => m.direction === 'received').map((m) => m.text);
    const refusing = new WebhookReceiver();
    refusing.status = 401;
    await refusing.start();
    try {
      // Edited from what the settings page gets: secrets masked, and kept by the mask.
      const shown = rig.station.settings().config;
      expect(shown.webhooks.receivers[0]!.secret).toBe('********');
      await rig.station.saveSettings({
        ...shown,
        webhooks: {
          ...shown.webhooks,
          receivers: [
            ...shown.webhooks.receivers,
            { id: 'refusing', url: refusing.url, secret: SECRET, alarms: 'major' },
            { id: 'gone', url: `http://127.0.0.1:${await freePort()}/hook`, secret: SECRET, alarms: 'none' },
          ],
        },
        email: { host: '127.0.0.1', port: smtpPort, security: 'none', user: SMTP_USER, password: SMTP_PASS, from: 'station@example.test', to: ['ops@example.test'], minSeverity: 'major' },
        // A text from wa1's phone to wa2's WhatsApp account: wa2's phone receives it and the station records it.
        whatsappAlarms: { line: 'wa1', to: wa2Account, minSeverity: 'major' },
      });
      expect(rig.station.settings().config.email?.password).toBe('********');
      expect(rig.station.config.webhooks.receivers[0]!.secret).toBe(SECRET);

      const results = (await createCommandHandler(rig.station)('alarms.test', {})) as TestAlarmResult[];
      expect(results).toEqual([
        { receiver: 'ops', delivered: true, detail: 'HTTP 200 OK' },
        { receiver: 'refusing', delivered: false, detail: `${refusing.url} answered HTTP 401 Unauthorized` },
        { receiver: 'gone', delivered: false, detail: expect.stringMatching(/ECONNREFUSED/) },
        { receiver: 'email', delivered: true, detail: expect.stringMatching(/^250 /) },
        { receiver: 'whatsapp', delivered: true, detail: `sent from line wa1 to ${wa2Account}` },
      ]);
      await waitFor('the test alarm texted to wa2', () => textsOnWa2().some((t) => t.startsWith('[sip2wa WARNING] test')));
      const tests = receiver.got.filter((g) => g.body.test === true);
      expect(tests).toHaveLength(1);
      const test = tests[0]!;
      expect(test.body).toMatchObject({ type: 'alarm', rule: 'test', severity: 'warning', state: 'raise' });
      expect(signed(test)).toBe(true);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual(['ops@example.test']);
      expect(mails[0]!.raw).toMatch(/Subject: \[sip2wa WARNING\] test/);

      // A real alarm: mailed (major), refused by 'refusing' for good, 'gone' takes no alarms.
      await rig.station.saveSettings(withPassword(rig.station.config, 'wrong-password'));
      await waitFor('the alarm mailed', () => mails.some((m) => /Subject: \[sip2wa MAJOR\] registration-failed on wa1/.test(m.raw)), 30_000);
      await waitFor('the alarm texted', () => textsOnWa2().some((t) => t.startsWith('[sip2wa MAJOR] registration-failed on wa1\nline wa1 is not registered')));
      const { value: failure } = await waitFor('the 401 among the failures', async () => (await alarmsApi()).failures.find((f) => f.receiver === 'refusing'));
      expect(failure).toMatchObject({ what: 'alarm', reason: `${refusing.url} answered HTTP 401 Unauthorized (not retried)` });
      expect(rig.station.events.list().find((e) => e.kind === 'alarm' && e.message.startsWith('delivery to refusing failed'))?.level).toBe('warn');
      expect((await alarmsApi()).receivers.find((r) => r.id === 'refusing')!.queued).toBe(0);
      expect(refusing.got).toEqual([]);
    } finally {
      await rig.station.saveSettings({ ...good });
      await refusing.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
