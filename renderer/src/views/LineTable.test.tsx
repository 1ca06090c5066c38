// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallView, LineView } from '../../../electron/station/api/types';
import { connectedCall, FakeStation, INFO, makeLine, withStartup } from '../test-support/fake-station';
import { renderConsole } from '../test-support/render-console';
import { EventsPanel } from './EventsPanel';
import { LineGrid, LINES_VIEW_KEY } from './LineGrid';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const call = (): CallView => connectedCall(5000, { codec: 'PCMU' });

const withBattery = (id: string, batteryLevel: number, patch: Partial<LineView> = {}): LineView => makeLine(id, { agent: { ...makeLine(id).agent!, batteryLevel }, ...patch });
const rows = () => screen.getAllByTestId('line-row').map((r) => r.dataset.lineId);
const row = (id: string) => document.querySelector(`[data-testid="line-row"][data-line-id="${id}"]`) as HTMLElement;
const header = (name: string) => screen.getByRole('columnheader', { name: new RegExp(`^${name}`) });

async function openTable(lines: LineView[], fake = new FakeStation()) {
  const rendered = renderConsole(<LineGrid />, withStartup(fake, lines));
  await screen.findAllByTestId('line-card');
  fireEvent.click(screen.getByRole('button', { name: 'Table' }));
  await screen.findAllByTestId('line-row');
  return { ...rendered, fake };
}

describe('the line table', () => {
  it('is chosen beside the cards, and the choice is remembered', async () => {
    await openTable([makeLine('wa1')]);
    expect(screen.queryByTestId('line-card')).toBeNull();
    expect(localStorage.getItem(LINES_VIEW_KEY)).toBe('table');
    cleanup();
    renderConsole(<LineGrid />, withStartup(new FakeStation(), [makeLine('wa1')]));
    await screen.findAllByTestId('line-row');
    expect(screen.getByRole('button', { name: 'Table' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Cards' }));
    expect(await screen.findAllByTestId('line-card')).toHaveLength(1);
    expect(localStorage.getItem(LINES_VIEW_KEY)).toBe('cards');
  });

  it('shows a line in one row: phone, account, registration, call, levels, jitter, battery, today, problem', async () => {
    const inCall = makeLine('wa1', { registration: { state: 'in-call', reason: '', code: null }, call: call() });
    const hot = makeLine('wa2', { agent: { ...makeLine('wa2').agent!, temperatureDeciC: 470 } });
    await openTable([inCall, hot]);
    const r = row('wa1');
    // The serial names the phone in a dense row; its model is on the serial's tooltip.
    expect(within(r).getByText('SERWA1').getAttribute('title')).toBe('Samsung SM-A525F');
    expect(r.textContent).toContain('+628111000');
    expect(r.textContent).toContain('in-call 201@office');
    expect(within(r).getByTestId('row-call').textContent).toMatch(/connected PBX → WhatsApp \+628123456789 Budi 0:0\d PCMU/);
    expect(within(r).getByTestId('level-in').dataset.dbfs).toBe('-20.0');
    expect(r.textContent).toContain('2.5 ms · 2.0%');
    expect(r.textContent).toContain('80% charging · 31.0 °C');
    expect(within(r).getByTestId('row-today').textContent).toBe('0 calls · ASR — · ACD — · uniq 0/20/h 0/100/d');
    expect(within(row('wa2')).getByTestId('row-problem').textContent).toBe('The phone is hot (47.0 °C).');
    expect(row('wa2').dataset.problem).toBe('warn');
  });

  it('names an unhealthy WhatsApp account and a guarded phone in the Problem column', async () => {
    const banned = makeLine('wa3', { account: { state: 'logged-out', since: '2026-01-01T00:00:00.000Z' } });
    const flat = makeLine('wa4', {
      agent: { ...makeLine('wa4').agent!, batteryLevel: 9, charging: false },
      guard: { trip: 'low-battery', reason: "battery of wa4's phone is low (9 %, limit 15 %, not charging)", since: '2026-01-01T00:00:00.000Z' },
    });
    await openTable([makeLine('wa1'), banned, flat]);
    expect(within(row('wa3')).getByTestId('row-problem').textContent).toBe('The WhatsApp account is logged out: verify it on the phone. No calls until then (503).');
    expect(within(row('wa4')).getByTestId('row-problem').textContent).toBe("Takes no calls: battery of wa4's phone is low (9 %, limit 15 %, not charging) (503 until it recovers).");
    expect(row('wa3').dataset.problem).toBe('error');
    expect(row('wa1').dataset.problem).toBe('');
  });

  it('sorts by a column header, reverses on a second click, and says so in aria-sort', async () => {
    await openTable([withBattery('wa1', 50), withBattery('wa2', 20), withBattery('wa10', 90), makeLine('wa3', { agent: null })]);
    expect(rows()).toEqual(['wa1', 'wa2', 'wa3', 'wa10']);
    expect(header('Line').getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(within(header('Battery')).getByRole('button'));
    expect(rows()).toEqual(['wa2', 'wa1', 'wa10', 'wa3']); // no agent, no battery: last
    expect(header('Battery').getAttribute('aria-sort')).toBe('ascending');
    expect(header('Line').getAttribute('aria-sort')).toBe('none');
    fireEvent.click(within(header('Battery')).getByRole('button'));
    expect(rows()).toEqual(['wa10', 'wa1', 'wa2', 'wa3']);
    expect(header('Battery').getAttribute('aria-sort')).toBe('descending');
    fireEvent.click(within(header('Line')).getByRole('button'));
    fireEvent.click(within(header('Line')).getByRole('button'));
    expect(rows()).toEqual(['wa10', 'wa3', 'wa2', 'wa1']);
  });

  it('puts the lines with problems first, errors before warnings, and keeps the column order within', async () => {
    const failed = withBattery('wa4', 60, { registration: { state: 'failed', reason: 'wrong password', code: 401 } });
    const warn = withBattery('wa3', 10, { agent: { ...makeLine('wa3').agent!, batteryLevel: 10, charging: false } });
    await openTable([withBattery('wa1', 30), withBattery('wa2', 70), warn, failed]);
    fireEvent.click(within(header('Battery')).getByRole('button'));
    expect(rows()).toEqual(['wa3', 'wa1', 'wa4', 'wa2']);
    fireEvent.click(screen.getByRole('checkbox', { name: /Problems first/ }));
    expect(rows()).toEqual(['wa4', 'wa3', 'wa1', 'wa2']);
    expect(within(row('wa4')).getByTestId('row-problem').textContent).toBe('Registration failed (401): wrong password');
  });

  it('takes the grid’s filters', async () => {
    const sales = (id: string) => makeLine(id, { sip: { user: `20${id.slice(2)}`, pbx: 'office', group: 'sales', enabled: true } });
    await openTable([sales('wa1'), makeLine('wa2'), sales('wa3'), makeLine('wa4', { registration: { state: 'failed', reason: 'timeout', code: null } })]);
    fireEvent.change(screen.getByLabelText('Group'), { target: { value: 'sales' } });
    expect(rows()).toEqual(['wa1', 'wa3']);
    expect(screen.getByTestId('line-count').textContent).toBe('2 of 4 lines');
    fireEvent.change(screen.getByLabelText('Group'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'failed' } });
    expect(rows()).toEqual(['wa4']);
    fireEvent.change(screen.getByLabelText('State'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'serwa2' } });
    expect(rows()).toEqual(['wa2']);
  });

  it('counts registered, in call, failing and lost phones over every line in the summary strip', async () => {
    const lost = makeLine('wa3', { device: { ...makeLine('wa3').device!, state: 'lost', detail: 'unplugged' }, agent: null, registration: { state: 'no-device', reason: '', code: null } });
    const failed = makeLine('wa4', { registration: { state: 'failed', reason: 'timeout', code: null } });
    const inCall = makeLine('wa2', { registration: { state: 'in-call', reason: '', code: null }, call: call() });
    const { fake } = await openTable([makeLine('wa1'), inCall, lost, failed]);
    const strip = screen.getByTestId('summary-strip');
    expect(strip.textContent).toBe('2/4 registered1 in call2 failing1 phones lost');
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'wa1' } });
    expect(strip.textContent).toBe('2/4 registered1 in call2 failing1 phones lost');
    act(() => fake.emit('lines', [makeLine('wa1'), makeLine('wa2'), lost, makeLine('wa4')]));
    expect(within(strip).getByTestId('sum-failing').textContent).toBe('1 failing');
    expect(within(strip).getByTestId('sum-in-call').textContent).toBe('0 in call');
    expect(within(strip).getByTestId('sum-registered').textContent).toBe('3/4 registered');
  });

  it('selects rows one by one and all visible ones, and acts on the visible selection only', async () => {
    const fake = new FakeStation().handle('line.restartAgent', () => ({ restarting: true }));
    await openTable([makeLine('wa1'), makeLine('wa2'), makeLine('wa3')], fake);
    const bulk = within(screen.getByRole('group', { name: 'actions on the selected lines' }));
    expect(bulk.getByRole('button', { name: 'Restart agent' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'select line wa2' }));
    expect(bulk.getByText('1 selected')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'serwa1' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'select all visible lines' }));
    expect(bulk.getByText('1 selected')).toBeTruthy(); // wa2 is hidden: only wa1 counts
    fireEvent.click(bulk.getByRole('button', { name: 'Restart agent' }));
    await waitFor(() => expect(within(row('wa1')).getByTestId('row-result').textContent).toBe('agent restarting'));
    expect(fake.sentOf('line.restartAgent')).toEqual([{ lineId: 'wa1' }]);
    fireEvent.click(screen.getByRole('checkbox', { name: 'select all visible lines' }));
    expect(bulk.getByText('select lines for bulk actions')).toBeTruthy();
  });

  it('re-registers the selected lines and shows each row its own result, a refusal in its words', async () => {
    const fake = new FakeStation().handle('line.reRegister', ({ lineId }) => {
      if (lineId === 'wa2') throw new Error('line wa2 is switched off: switch it on first');
      return { registering: true };
    });
    await openTable([makeLine('wa1'), makeLine('wa2'), makeLine('wa3')], fake);
    fireEvent.click(screen.getByRole('checkbox', { name: 'select all visible lines' }));
    fireEvent.click(within(screen.getByRole('group', { name: 'actions on the selected lines' })).getByRole('button', { name: 'Re-register' }));
    await waitFor(() => expect(screen.getAllByTestId('row-result').map((r) => r.dataset.status)).toEqual(['ok', 'error', 'ok']));
    expect(within(row('wa1')).getByTestId('row-result').textContent).toBe('registering again');
    expect(within(row('wa2')).getByTestId('row-result').textContent).toBe('line wa2 is switched off: switch it on first');
    expect(fake.sentOf('line.reRegister')).toHaveLength(3);
  });

  it('switches lines off and on', async () => {
    const fake = new FakeStation().handle('line.setEnabled', ({ enabled }) => ({ enabled }));
    await openTable([makeLine('wa1'), makeLine('wa2')], fake);
    fireEvent.click(screen.getByRole('checkbox', { name: 'select line wa2' }));
    const bulk = within(screen.getByRole('group', { name: 'actions on the selected lines' }));
    fireEvent.click(bulk.getByRole('button', { name: 'Switch off' }));
    await waitFor(() => expect(within(row('wa2')).getByTestId('row-result').textContent).toBe('switched off'));
    fireEvent.click(bulk.getByRole('button', { name: 'Switch on' }));
    await waitFor(() => expect(within(row('wa2')).getByTestId('row-result').textContent).toBe('switched on'));
    expect(fake.sentOf('line.setEnabled')).toEqual([
      { lineId: 'wa2', enabled: false },
      { lineId: 'wa2', enabled: true },
    ]);
  });

  it('echo-tests at most two lines at once and shows each row its figures', async () => {
    let running = 0;
    let most = 0;
    const pending: Array<() => void> = [];
    const fake = new FakeStation().handle('line.echoTest', async ({ lineId }) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => pending.push(resolve));
      running--;
      const ok = lineId !== 'wa3';
      return { ok, lineId, number: '15550100', roundTripMs: ok ? 182.4 : null, correlation: ok ? 0.93 : 0.1, levelDbfs: ok ? -18.25 : -70, message: ok ? 'clear' : 'nothing came back' };
    });
    await openTable([makeLine('wa1'), makeLine('wa2'), makeLine('wa3'), makeLine('wa4')], fake);
    fireEvent.click(screen.getByRole('checkbox', { name: 'select all visible lines' }));
    fireEvent.click(within(screen.getByRole('group', { name: 'actions on the selected lines' })).getByRole('button', { name: 'Echo test' }));
    // Each test is released by hand: two run, the others wait their turn.
    for (let done = 0; done < 4; done++) {
      await waitFor(() => expect(pending.length).toBeGreaterThan(0));
      expect(running).toBeLessThanOrEqual(2);
      act(() => pending.shift()!());
    }
    await waitFor(() => expect(screen.getAllByTestId('row-result').every((r) => r.dataset.status !== 'running')).toBe(true));
    expect(most).toBe(2);
    expect(within(row('wa1')).getByTestId('row-result').textContent).toBe('echo passed: round trip 182 ms · correlation 0.93 · level -18.3 dBFS');
    expect(within(row('wa3')).getByTestId('row-result').textContent).toBe('echo failed: round trip — · correlation 0.10 · level -70.0 dBFS (nothing came back)');
    expect(row('wa3').querySelector('[data-status="error"]')).toBeTruthy();
  });

  it('opens a line’s card with today’s figures from its row', async () => {
    await openTable([makeLine('wa1'), makeLine('wa2', { today: { ...makeLine('wa2').today!, attempts: 12 } })]);
    fireEvent.click(within(row('wa2')).getByRole('button', { name: 'wa2' }));
    const detail = screen.getByRole('complementary', { name: 'line wa2 detail' });
    expect(within(detail).getByTestId('today').textContent).toContain('calls 12');
    expect(within(detail).getByRole('button', { name: 'Re-register' })).toBeTruthy();
    fireEvent.click(within(detail).getByRole('button', { name: "close the line's detail" }));
    expect(screen.queryByRole('complementary')).toBeNull();
  });

  it('says no PBX once per row when none is configured', async () => {
    const noPbx = makeLine('wa1', { sip: null, registration: { state: 'disabled', reason: 'no PBX configured: open Settings to connect one', code: null } });
    renderConsole(<LineGrid />, withStartup(new FakeStation(), [noPbx], { ...INFO, pbxConfigured: false }));
    fireEvent.click(await screen.findByRole('button', { name: 'Table' }));
    expect(within(row('wa1')).getByTestId('row-problem').textContent).toBe('no PBX');
    expect(row('wa1').textContent).not.toMatch(/configured|no SIP account/);
  });
});

describe('events that name a line', () => {
  it('link to the line: the lines view opens on it, its detail shown in the table', async () => {
    localStorage.setItem(LINES_VIEW_KEY, 'table');
    const fake = withStartup(new FakeStation(), [makeLine('wa1'), makeLine('wa2')]).handle('events.list', () => [
      { id: 1, at: '2026-01-05T09:30:00.000Z', level: 'error', kind: 'registration', lineId: 'wa2', message: 'registration failed' },
    ]);
    const { store } = renderConsole(
      <>
        <EventsPanel />
        <LineGrid />
      </>,
      fake,
    );
    act(() => store.getState().navigate('events'));
    const events = within(screen.getByRole('region', { name: 'events' }));
    fireEvent.click(await events.findByRole('button', { name: 'wa2' }));
    expect(store.getState().view).toBe('lines');
    expect(await screen.findByRole('complementary', { name: 'line wa2 detail' })).toBeTruthy();
    expect(store.getState().focusLine).toBeNull();
  });
});
