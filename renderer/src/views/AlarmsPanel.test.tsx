// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlarmsView } from '../../../electron/station/api/types';
import type { StationConfig } from '../../../electron/station/config/schema';
import { configFixture } from '../test-support/config-fixture';
import { FakeStation, makeLine, withStartup } from '../test-support/fake-station';
import { renderConsole } from '../test-support/render-console';
import { AlarmsPanel } from './AlarmsPanel';
import { SettingsPage } from './settings/SettingsPage';

afterEach(cleanup);

const at = '2026-12-03T10:00:00.000Z';
const alarm = (rule: string, severity: string, message: string) =>
  ({ id: rule, rule, severity, state: 'firing', oneShot: false, lineId: 'wa1', serial: 'SERWA1', message, clearMessage: null, firstAt: at, lastAt: at, clearedAt: null, count: 1 }) as never;

describe('alarms in the console', () => {
  it('lists firing alarms with their severity, a receiver whose deliveries wait, and failures for good; a new event reads them again', async () => {
    let view: AlarmsView = { firing: [], recent: [], receivers: [{ id: 'ops', queued: 0, nextAttemptAt: null, lastError: null }], failures: [] };
    const fake = withStartup(new FakeStation(), [makeLine('wa1')]).handle('alarms.list', () => view);
    renderConsole(<AlarmsPanel />, fake);
    expect(await screen.findByText('No alarm is firing.')).toBeTruthy();
    view = {
      firing: [alarm('account-unhealthy', 'critical', 'line wa1: WhatsApp account of wa1 is banned'), alarm('registration-failed', 'major', 'line wa1 is not registered')],
      recent: [],
      receivers: [{ id: 'ops', queued: 3, nextAttemptAt: at, lastError: 'http://ops/hook: ECONNREFUSED' }],
      failures: [{ at, receiver: 'crm', what: 'alarm', reason: 'http://crm/hook answered HTTP 401 Unauthorized (not retried)' }],
    };
    act(() => fake.emit('log', { id: 9, at, level: 'error', kind: 'account', lineId: 'wa1', message: 'WhatsApp account of wa1 is banned' }));
    const rows = await screen.findAllByTestId('alarm-row');
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent)[0])).toEqual(['critical', 'major']);
    expect(rows[0]!.querySelector('.sev-critical')).toBeTruthy();
    expect(screen.getByTestId('receiver-waiting').textContent).toMatch(/Receiver ops: 3 deliveries queued.*ECONNREFUSED/);
    expect(screen.getByTestId('delivery-failure').textContent).toContain('delivery to crm failed (alarm): http://crm/hook answered HTTP 401 Unauthorized (not retried)');
  });

  it("settings' Send test alarm reports each receiver delivered or failed with the reason", async () => {
    const fake = withStartup(new FakeStation(), [makeLine('wa1')])
      .handle('settings.get', () => ({ config: configFixture(), file: null, fileExists: false, secrets: 'plain' }))
      .handle('audio.devices', () => [])
      .handle('settings.save', ({ config }) => ({ config: config as StationConfig, file: null }))
      .handle('alarms.test', () => [
        { receiver: 'ops', delivered: true, detail: 'HTTP 200 OK' },
        { receiver: 'crm', delivered: false, detail: 'http://crm/hook answered HTTP 401 Unauthorized' },
      ]);
    renderConsole(<SettingsPage />, fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Send test alarm' }));
    const results = await screen.findAllByTestId('test-alarm-result');
    expect(results.map((r) => r.textContent)).toEqual(['ops: delivered (HTTP 200 OK)', 'crm: failed (http://crm/hook answered HTTP 401 Unauthorized)']);
    expect(results[1]!.className).toContain('bad-text');
    // A rule switched off in the form goes to the station as enabled: false.
    fireEvent.click(screen.getByLabelText('A line is paused by a lock-after rule'));
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    await waitFor(() => expect(fake.sentOf('settings.save')).toHaveLength(1));
    expect((fake.sentOf('settings.save')[0] as { config: StationConfig }).config.alarms.rules).toEqual({ 'line-paused': { enabled: false } });
  });
});
