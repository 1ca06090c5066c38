// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandParams } from '../../../../electron/station/api/contract';
import type { LineConfig, StationConfig } from '../../../../electron/station/config/schema';
import { configFixture } from '../../test-support/config-fixture';
import { FakeStation, makeLine, withStartup } from '../../test-support/fake-station';
import { renderConsole } from '../../test-support/render-console';
import { SettingsPage } from './SettingsPage';

afterEach(cleanup);

/** Four phones without lines; the PBX accepts password "right-{ext}" only. */
function station(config: StationConfig = configFixture({ lines: [] }), fileExists = true) {
  const phones = ['a', 'b', 'c', 'd'].map((s) => makeLine(`phone-${s}`, { sip: null }));
  return withStartup(new FakeStation(), phones)
    .handle('settings.get', () => ({ config, file: '/home/op/station.json', fileExists, secrets: 'plain' }))
    .handle('settings.save', ({ config: raw }) => ({ config: raw as StationConfig, file: '/home/op/station.json' }))
    .handle('settings.testRegistration', (p: CommandParams<'settings.testRegistration'>) => {
      const line = p.line as LineConfig | undefined;
      if (!line) return { ok: true, outcome: 'reachable', code: 401, words: 'reachable: the PBX at pbx.example.com:5060 over UDP answered (401 Unauthorized)', target: 'pbx.example.com:5060 over UDP' };
      return line.password === `right-${line.user}`
        ? { ok: true, outcome: 'registered', code: 200, words: `registered: extension ${line.user}`, target: '' }
        : { ok: false, outcome: 'wrong-password', code: 401, words: `wrong password: the PBX refused the credentials of extension ${line.user}`, target: '' };
    })
    .handle('audio.devices', () => []);
}

const field = (scope: HTMLElement, label: string) => within(scope).getByLabelText(label) as HTMLInputElement;

describe('onboarding a PBX in the settings page', () => {
  it('adds a line for every phone in one step, after a preview, and saves them with the normal Save', async () => {
    const fake = station();
    renderConsole(<SettingsPage />, fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Add lines for all phones (4)' }));
    const panel = screen.getByTestId('add-lines');
    fireEvent.change(field(panel, 'First extension'), { target: { value: '3001' } });
    fireEvent.change(field(panel, 'Group'), { target: { value: 'sales' } });
    const preview = within(panel).getByTestId('add-lines-preview');
    expect(within(preview).getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['wa1', 'SERPHONE-A', '3001', 'pw3001', 'G722, PCMU, PCMA', 'sales'],
      ['wa2', 'SERPHONE-B', '3002', 'pw3002', 'G722, PCMU, PCMA', 'sales'],
      ['wa3', 'SERPHONE-C', '3003', 'pw3003', 'G722, PCMU, PCMA', 'sales'],
      ['wa4', 'SERPHONE-D', '3004', 'pw3004', 'G722, PCMU, PCMA', 'sales'],
    ]);
    // A mistake is named at its field, and nothing can be added until it is fixed.
    fireEvent.change(field(panel, 'Codecs'), { target: { value: 'G729' } });
    expect(within(panel).getByTestId('add-lines-error').textContent).toBe('G729: must be one of G722, PCMU, PCMA');
    expect(within(panel).queryByRole('button', { name: /Add these/ })).toBeNull();
    fireEvent.change(field(panel, 'Codecs'), { target: { value: 'PCMU' } });
    // The first line is tested from the panel: the pattern is wrong, and once fixed the result goes.
    fireEvent.click(within(panel).getByRole('button', { name: 'Test registration of wa1 (extension 3001)' }));
    expect((await within(panel).findByTestId('probe-result')).textContent).toBe('wrong password: the PBX refused the credentials of extension 3001');
    fireEvent.change(field(panel, 'Password pattern'), { target: { value: 'right-{ext}' } });
    expect(within(panel).queryByTestId('probe-result')).toBeNull();
    fireEvent.click(within(panel).getByRole('button', { name: 'Test registration of wa1 (extension 3001)' }));
    expect((await within(panel).findByTestId('probe-result')).textContent).toBe('registered: extension 3001');
    fireEvent.change(field(panel, 'Password pattern'), { target: { value: 'pw{ext}' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Add these 4 lines to the form' }));
    expect(screen.getAllByTestId('settings-line')).toHaveLength(4);
    expect(screen.getByTestId('lines-added').textContent).toContain('4 lines added to the form');
    expect(fake.sentOf('settings.save')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    await waitFor(() => expect(fake.sentOf('settings.save')).toHaveLength(1));
    const saved = (fake.sentOf('settings.save')[0] as { config: StationConfig }).config.lines;
    expect(saved.map((l) => [l.serial, l.user, l.password, l.codecs, l.group])).toEqual([
      ['SERPHONE-A', '3001', 'pw3001', ['PCMU'], 'sales'],
      ['SERPHONE-B', '3002', 'pw3002', ['PCMU'], 'sales'],
      ['SERPHONE-C', '3003', 'pw3003', ['PCMU'], 'sales'],
      ['SERPHONE-D', '3004', 'pw3004', ['PCMU'], 'sales'],
    ]);
  });

  it('tests a line and the PBX before saving, showing the PBX answer in words', async () => {
    const fake = station();
    renderConsole(<SettingsPage />, fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Add lines for all phones (4)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add these 4 lines to the form' }));
    const first = screen.getAllByTestId('settings-line')[0]!;
    fireEvent.click(within(first).getByRole('button', { name: 'Test registration' }));
    expect((await within(first).findByTestId('probe-result')).textContent).toBe('wrong password: the PBX refused the credentials of extension 2001');
    expect(fake.sentOf('settings.testRegistration')[0]).toMatchObject({ pbx: { id: 'office', host: 'pbx.example.com' }, line: { user: '2001', password: 'pw2001' } });
    fireEvent.change(field(first, 'Password'), { target: { value: 'right-2001' } });
    fireEvent.click(within(first).getByRole('button', { name: 'Test registration' }));
    await waitFor(() => expect(within(first).getByTestId('probe-result').textContent).toBe('registered: extension 2001'));
    const pbx = screen.getByTestId('settings-pbx');
    fireEvent.click(within(pbx).getByRole('button', { name: 'Test the PBX' }));
    expect((await within(pbx).findByTestId('probe-result')).textContent).toMatch(/^reachable: /);
    expect(fake.sentOf('settings.testRegistration')[2]).not.toHaveProperty('line');
  });

  it('says where the settings will be saved before the file exists', async () => {
    renderConsole(<SettingsPage />, station(configFixture({ lines: [] }), false));
    expect(await screen.findByText(/not saved yet: Save and apply writes \/home\/op\/station\.json/)).toBeTruthy();
    expect(screen.queryByText(/saved to \/home/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    expect(await screen.findByText(/^saved to \/home\/op\/station\.json/)).toBeTruthy();
  });

  it('edits per-line overrides as fields', async () => {
    const fake = station(configFixture());
    renderConsole(<SettingsPage />, fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Add overrides for a line' }));
    const override = screen.getByTestId('line-override');
    fireEvent.change(within(override).getByLabelText('Dedicated (wa1)'), { target: { value: 'on' } });
    fireEvent.change(within(override).getByLabelText('max (wa1)', { selector: '#f-policy_lines_wa1_uniquePerDay_max' }), { target: { value: '40' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    await waitFor(() => expect(fake.sentOf('settings.save')).toHaveLength(1));
    expect((fake.sentOf('settings.save')[0] as { config: StationConfig }).config.policy.lines).toEqual({ wa1: { dedicated: { enabled: true }, uniquePerDay: { max: 40 } } });
  });
});
