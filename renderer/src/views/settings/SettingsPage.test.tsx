// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationConfig } from '../../../../electron/station/config/schema';
import { configFixture, MASK } from '../../test-support/config-fixture';
import { FakeStation, INFO, makeLine, withStartup } from '../../test-support/fake-station';
import { renderConsole } from '../../test-support/render-console';
import { fieldErrors } from './form-state';
import { SettingsPage } from './SettingsPage';

afterEach(cleanup);

/**
 * A station that refuses the way the real one does (`settings: <field path>: <reason>`, behind the
 * WebSocket server's "failed: " prefix) for the two checks these tests need.
 */
function station(current: StationConfig = configFixture()) {
  let config = current;
  return withStartup(new FakeStation(), [makeLine('wa1'), makeLine('wa7', { sip: null })])
    .handle('settings.get', () => ({ config, file: '/etc/sip2wa/station.json', fileExists: true, secrets: 'plain' }))
    .handle('settings.save', ({ config: raw }) => {
      const doc = raw as StationConfig;
      doc.pbx.forEach((p, i) => {
        if (p.port !== undefined && (typeof p.port !== 'number' || p.port < 1 || p.port > 65535)) throw new Error(`failed: settings: pbx[${i}].port: must be 1-65535`);
      });
      doc.lines.forEach((l, i) => {
        if (l.password === '') throw new Error(`failed: settings: lines[${i}].password: must not be empty`);
        if (l.password === MASK && !config.lines.some((c) => c.id === l.id)) throw new Error(`failed: settings: lines[${i}].password: enter the password of this new line`);
      });
      config = doc;
      return { config, file: '/etc/sip2wa/station.json' };
    })
    .handle('audio.devices', () => [{ id: 1, name: 'USB Headset', hostApi: 'ALSA', inputs: 1, outputs: 2, defaultSampleRate: 48000 }]);
}

describe('the settings page', () => {
  it('shows the refusal naming the field, next to the field and as a banner', async () => {
    const fake = station();
    renderConsole(<SettingsPage />, fake);
    const port = await screen.findByLabelText('Port');
    fireEvent.change(port, { target: { value: '70000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    const banner = await screen.findByTestId('settings-error');
    expect(banner.textContent).toContain('pbx[0].port: must be 1-65535');
    expect(port.getAttribute('aria-invalid')).toBe('true');
    expect(port.closest('.field')!.querySelector('[data-testid="field-error"]')!.textContent).toBe('must be 1-65535');
    // Fixed, it saves and the banner goes.
    fireEvent.change(port, { target: { value: '5080' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    await waitFor(() => expect(screen.queryByTestId('settings-error')).toBeNull());
    expect((fake.sentOf('settings.save').at(-1) as { config: StationConfig }).config.pbx[0]!.port).toBe(5080);
  });

  it('keeps the password masked and sends the mask back, which keeps the stored password', async () => {
    const fake = station();
    renderConsole(<SettingsPage />, fake);
    const password = (await screen.findByLabelText('Password')) as HTMLInputElement;
    expect(password.type).toBe('password');
    expect(password.value).toBe('********');
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: 'Sales 1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    await waitFor(() => expect(fake.sentOf('settings.save')).toHaveLength(1));
    const sent = (fake.sentOf('settings.save')[0] as { config: StationConfig }).config;
    expect(sent.lines[0]!.password).toBe('********');
    expect(sent.lines[0]!.displayName).toBe('Sales 1');
    await waitFor(() => expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('********'));
  });

  it('asks for the password of a new line, naming the field', async () => {
    renderConsole(<SettingsPage />, station());
    await screen.findByLabelText('Port');
    // The phone the grid shows without a line is offered.
    fireEvent.click(screen.getByRole('button', { name: 'Add a line for phone SERWA7' }));
    const lines = screen.getAllByTestId('settings-line');
    expect((within(lines[1]!).getByLabelText('Phone (adb serial)') as HTMLInputElement).value).toBe('SERWA7');
    fireEvent.change(within(lines[1]!).getByLabelText('Extension'), { target: { value: '2007' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    const banner = await screen.findByTestId('settings-error');
    expect(banner.textContent).toContain('lines[1].password: must not be empty');
    expect(within(lines[1]!).getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
  });

  it('opens on the "Connect your PBX" step when no PBX is configured', async () => {
    const fake = station(configFixture({ pbx: [], lines: [] }));
    const { store } = renderConsole(<SettingsPage />, fake);
    act(() => store.getState().navigate('settings', 'pbx'));
    const step = await screen.findByTestId('connect-pbx');
    fireEvent.click(within(step).getByRole('button', { name: 'Add your PBX' }));
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: '192.0.2.10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    await waitFor(() => expect(fake.sentOf('settings.save')).toHaveLength(1));
    expect((fake.sentOf('settings.save')[0] as { config: StationConfig }).config.pbx).toEqual([
      { id: 'office', host: '192.0.2.10', port: 5060, transport: 'udp', keepaliveSeconds: 25, registerExpires: 300 },
    ]);
    expect(INFO.pbxConfigured).toBe(true);
  });

  it('stores the headset by device name', async () => {
    const fake = station();
    renderConsole(<SettingsPage />, fake);
    const mic = await screen.findByLabelText('Headset microphone');
    await waitFor(() => expect(within(mic).getAllByRole('option').map((o) => o.textContent)).toEqual(['(none)', 'USB Headset']));
    fireEvent.change(mic, { target: { value: 'USB Headset' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and apply' }));
    await waitFor(() => expect(fake.sentOf('settings.save')).toHaveLength(1));
    expect((fake.sentOf('settings.save')[0] as { config: StationConfig }).config.media.headset).toEqual({ input: 'USB Headset' });
  });
});

describe('reading field paths out of a refusal', () => {
  it('finds each field after any prefixes', () => {
    const errors = fieldErrors('failed: settings: pbx[0].port: must be 1-65535; lines[1].user: must be a SIP user part (1-64 characters, no spaces or "@")');
    expect([...errors]).toEqual([
      ['pbx[0].port', 'must be 1-65535'],
      ['lines[1].user', 'must be a SIP user part (1-64 characters, no spaces or "@")'],
    ]);
  });
});
