// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runningClocks } from '../components/clock';
import { Toasts } from '../components/Toasts';
import { connectedCall, FakeStation, INFO, makeLine, withStartup } from '../test-support/fake-station';
import { renderConsole } from '../test-support/render-console';
import { LineGrid } from './LineGrid';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});


const card = (id: string) => document.querySelector(`[data-testid="line-card"][data-line-id="${id}"]`) as HTMLElement;
const order = () => screen.getAllByTestId('line-card').map((c) => c.dataset.lineId);

describe('the line grid', () => {
  it('makes a failed registration stand out with its reason', async () => {
    const failed = makeLine('wa2', { registration: { state: 'failed', reason: 'stopped: the PBX refused the credentials 3 times', code: 403 } });
    renderConsole(<LineGrid />, withStartup(new FakeStation(), [makeLine('wa1'), failed]));
    await screen.findAllByTestId('line-card');
    const c = card('wa2');
    expect(c.dataset.state).toBe('failed');
    expect(c.dataset.problem).toBe('error');
    expect(c.className).toContain('card-error');
    expect(c.textContent).toContain('Registration failed (403): stopped: the PBX refused the credentials 3 times');
    expect(card('wa1').dataset.problem).toBe('');
  });

  it('shows an unauthorized phone and an agent without audio route in plain words', async () => {
    const unauth = makeLine('wa3', { device: { ...makeLine('wa3').device!, state: 'unauthorized' } });
    const noRoute = makeLine('wa4', { agent: { ...makeLine('wa4').agent!, audioRoute: 'none' } });
    renderConsole(<LineGrid />, withStartup(new FakeStation(), [unauth, noRoute]));
    await screen.findAllByTestId('line-card');
    expect(card('wa3').dataset.deviceState).toBe('unauthorized');
    expect(card('wa3').textContent).toContain('accept the prompt on its screen');
    expect(card('wa4').textContent).toContain('no audio route');
  });

  it('says a banned account and a hot phone take no calls, and sorts them first', async () => {
    const banned = makeLine('wa3', { account: { state: 'banned', since: '2026-01-01T00:00:00.000Z' } });
    const hot = makeLine('wa4', {
      agent: { ...makeLine('wa4').agent!, temperatureDeciC: 465 },
      guard: { trip: 'hot', reason: 'phone of wa4 is too hot (46.5 °C, limit 45 °C)', since: '2026-01-01T00:00:00.000Z' },
    });
    const unknown = makeLine('wa5', { account: { state: 'unknown', since: '2026-01-01T00:00:00.000Z' } });
    renderConsole(<LineGrid />, withStartup(new FakeStation(), [makeLine('wa1'), banned, hot, unknown]));
    await screen.findAllByTestId('line-card');
    expect(card('wa3').dataset.problem).toBe('error');
    expect(card('wa3').textContent).toContain('The WhatsApp account is banned ("not allowed to use WhatsApp"). No calls on this line (503).');
    expect(card('wa4').dataset.problem).toBe('error');
    expect(card('wa4').textContent).toContain('Takes no calls: phone of wa4 is too hot (46.5 °C, limit 45 °C) (503 until it recovers).');
    expect(card('wa4').textContent).not.toContain('The phone is hot');
    expect(card('wa5').dataset.problem).toBe('warn');
    fireEvent.change(screen.getByLabelText('Sort'), { target: { value: 'problems' } });
    expect(order()).toEqual(['wa3', 'wa4', 'wa5', 'wa1']);
  });

  it('shows a call with a ticking timer, its codec, levels, jitter and loss', async () => {
    // The clock's interval and the time it reads are fake; the rendering waits stay real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: Date.UTC(2026, 0, 5, 9, 30) });
    const lines = [makeLine('wa1', { registration: { state: 'in-call', reason: '', code: null }, call: connectedCall(65_000) }), makeLine('wa2', { call: connectedCall(5_000) })];
    renderConsole(<LineGrid />, withStartup(new FakeStation(), lines));
    await screen.findAllByTestId('line-card');
    const call = within(card('wa1')).getByTestId('call');
    expect(call.dataset.callState).toBe('connected');
    expect(within(call).getByTestId('call-codec').textContent).toBe('G722');
    expect(within(call).getByTestId('level-in').dataset.dbfs).toBe('-20.0');
    expect(within(call).getByTestId('level-out').dataset.dbfs).toBe('-35.5');
    expect(call.textContent).toContain('jitter 2.5 ms');
    expect(call.textContent).toContain('lost 10 (2.0%)');
    const timer = within(call).getByTestId('call-timer');
    const other = within(card('wa2')).getByTestId('call-timer');
    expect([timer.textContent, other.textContent]).toEqual(['1:05', '0:05']);
    act(() => vi.advanceTimersByTime(999));
    expect([timer.textContent, other.textContent]).toEqual(['1:05', '0:05']);
    act(() => vi.advanceTimersByTime(1));
    expect([timer.textContent, other.textContent]).toEqual(['1:06', '0:06']);
    expect(runningClocks()).toBe(1); // two live timers, one interval
  });

  it('filters by text and state and sorts problems first', async () => {
    const lines = [
      makeLine('wa1'),
      makeLine('wa2', { registration: { state: 'failed', reason: 'timeout', code: 408 } }),
      makeLine('wa10', { sip: { user: '2010', pbx: 'office', group: 'sales', enabled: true } }),
    ];
    renderConsole(<LineGrid />, withStartup(new FakeStation(), lines));
    await screen.findAllByTestId('line-card');
    expect(order()).toEqual(['wa1', 'wa2', 'wa10']);
    fireEvent.change(screen.getByLabelText('Sort'), { target: { value: 'problems' } });
    expect(order()).toEqual(['wa2', 'wa1', 'wa10']);
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'failed' } });
    expect(order()).toEqual(['wa2']);
    fireEvent.change(screen.getByLabelText('State'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Group'), { target: { value: 'sales' } });
    expect(order()).toEqual(['wa10']);
    fireEvent.change(screen.getByLabelText('Group'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'SERWA1' } });
    expect(order()).toEqual(['wa1', 'wa10']);
    expect(screen.getByTestId('line-count').textContent).toBe('2 of 3 lines');
  });

  it('updates a card when the station pushes a new snapshot', async () => {
    const fake = withStartup(new FakeStation(), [makeLine('wa1')]);
    renderConsole(<LineGrid />, fake);
    await screen.findAllByTestId('line-card');
    act(() => fake.emit('lines', [makeLine('wa1', { registration: { state: 'failed', reason: 'no answer from the PBX', code: null } })]));
    expect(card('wa1').dataset.state).toBe('failed');
    expect(card('wa1').textContent).toContain('no answer from the PBX');
  });

  it('says once that no PBX is configured: the banner leads to settings, the line says two words', async () => {
    const { store } = renderConsole(<LineGrid />, withStartup(new FakeStation(), [makeLine('wa1', { sip: null, registration: { state: 'disabled', reason: 'no PBX configured: open Settings to connect one', code: null } })], { ...INFO, pbxConfigured: false }));
    const banner = await screen.findByTestId('no-pbx-banner');
    const problems = within(card('wa1')).getAllByRole('listitem').map((li) => li.textContent);
    expect(problems).toEqual(['no PBX']);
    expect(card('wa1').textContent).not.toMatch(/no PBX configured|No PBX configured|no SIP account/);
    fireEvent.click(within(banner).getByRole('button', { name: 'Connect your PBX' }));
    expect(store.getState().view).toBe('settings');
    expect(store.getState().settingsFocus).toBe('pbx');
  });
});

describe('a call block shows only what applies', () => {
  it('an ended call shows how it ended, without timer, codec or levels; a test dial no codec; a name equal to the number once', async () => {
    const ended = { ...connectedCall(5_000), state: 'ended' as const, endedAt: new Date().toISOString(), outcome: 'rejected' as const, sipCode: 486 };
    const testDial = { ...connectedCall(1_000), direction: 'test-dial' as const, codec: null, stats: null, name: '+62 812-3456-789', number: '628123456789' };
    const lines = [makeLine('wa1', { lastCall: ended }), makeLine('wa2', { call: testDial })];
    renderConsole(<LineGrid />, withStartup(new FakeStation(), lines));
    await screen.findAllByTestId('line-card');
    const last = within(card('wa1')).getByTestId('call');
    expect(last.dataset.callState).toBe('ended');
    expect(last.textContent).toContain('ended: rejected (SIP 486)');
    expect(within(last).queryByTestId('level-in')).toBeNull();
    expect(within(last).queryByTestId('call-codec')).toBeNull();
    expect(within(last).queryByTestId('call-timer')).toBeNull();
    const dial = within(card('wa2')).getByTestId('call');
    expect(within(dial).queryByTestId('call-codec')).toBeNull();
    expect(dial.textContent).not.toContain('no codec yet');
    expect(dial.querySelector('.call-number')!.textContent).toBe('+628123456789');
  });
});

describe('line actions', () => {
  it('sends line.hangUp for the card and shows the refusal', async () => {
    const fake = withStartup(new FakeStation(), [makeLine('wa1', { call: connectedCall(1000) }), makeLine('wa2')]).handle('line.hangUp', ({ lineId }) => {
      throw new Error(`line ${lineId} has no call to hang up`);
    });
    renderConsole(
      <>
        <LineGrid />
        <Toasts />
      </>,
      fake,
    );
    await screen.findAllByTestId('line-card');
    expect(within(card('wa2')).queryByRole('button', { name: 'Hang up' })).toBeNull();
    fireEvent.click(within(card('wa1')).getByRole('button', { name: 'Hang up' }));
    const toast = await screen.findByTestId('toast');
    expect(fake.sentOf('line.hangUp')).toEqual([{ lineId: 'wa1' }]);
    expect(toast.textContent).toContain('line.hangUp: line wa1 has no call to hang up');
  });

  it('switches a line off, re-registers and restarts the agent with the right commands', async () => {
    const fake = withStartup(new FakeStation(), [makeLine('wa1')])
      .handle('line.setEnabled', ({ enabled }) => ({ enabled }))
      .handle('line.reRegister', () => ({ registering: true }))
      .handle('line.restartAgent', () => ({ restarting: true }));
    renderConsole(<LineGrid />, fake);
    await screen.findAllByTestId('line-card');
    const c = within(card('wa1'));
    fireEvent.click(c.getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(fake.sentOf('line.setEnabled')).toEqual([{ lineId: 'wa1', enabled: false }]));
    await waitFor(() => expect(c.getByRole('button', { name: 'Re-register' })).toHaveProperty('disabled', false));
    fireEvent.click(c.getByRole('button', { name: 'Re-register' }));
    await waitFor(() => expect(fake.sentOf('line.reRegister')).toEqual([{ lineId: 'wa1' }]));
    await waitFor(() => expect(c.getByRole('button', { name: 'Restart agent' })).toHaveProperty('disabled', false));
    fireEvent.click(c.getByRole('button', { name: 'Restart agent' }));
    await waitFor(() => expect(fake.sentOf('line.restartAgent')).toEqual([{ lineId: 'wa1' }]));
  });

  it('runs the echo test and shows what it measured', async () => {
    const fake = withStartup(new FakeStation(), [makeLine('wa1')]).handle('line.echoTest', ({ lineId }) => ({
      ok: true,
      lineId,
      number: '15550100',
      roundTripMs: 182.4,
      correlation: 0.93,
      levelDbfs: -18.25,
      message: 'the test tone came back clearly',
    }));
    renderConsole(<LineGrid />, fake);
    await screen.findAllByTestId('line-card');
    fireEvent.click(within(card('wa1')).getByRole('button', { name: 'Echo test' }));
    const result = await screen.findByTestId('echo-result');
    expect(fake.sentOf('line.echoTest')).toEqual([{ lineId: 'wa1' }]);
    expect(result.textContent).toContain('Echo test passed');
    expect(result.textContent).toContain('round trip 182 ms');
    expect(result.textContent).toContain('correlation 0.93');
    expect(result.textContent).toContain('-18.3 dBFS');
  });
});
