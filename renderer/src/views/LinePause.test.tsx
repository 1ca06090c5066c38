// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineView } from '../../../electron/station/api/types';
import { FakeStation, makeLine, withStartup } from '../test-support/fake-station';
import { renderConsole } from '../test-support/render-console';
import { LineGrid } from './LineGrid';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const UNTIL = '2026-01-05T10:00:00.000Z';
const REASON = '3 calls were not answered since its last good call (limit 3)';
const paused = (id: string): LineView =>
  makeLine(id, { paused: { rule: 'lock-after', kind: 'unanswered', reason: REASON, since: '2026-01-05T09:30:00.000Z', until: UNTIL } });
const card = (id: string) => document.querySelector(`[data-testid="line-card"][data-line-id="${id}"]`) as HTMLElement;
const untilText = new Date(UNTIL).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

describe('a line paused by lock-after', () => {
  it('shows the pause with its reason and until when, and the lift button sends line.liftPause', async () => {
    const fake = new FakeStation().handle('line.liftPause', () => ({ lifted: true }));
    renderConsole(<LineGrid />, withStartup(fake, [makeLine('wa1'), paused('wa2')]));
    await screen.findAllByTestId('line-card');
    expect(card('wa2').dataset.problem).toBe('error');
    expect(card('wa2').textContent).toContain(`Paused until ${untilText} (lock-after): ${REASON}.`);
    expect(within(card('wa1')).queryByRole('button', { name: 'Lift pause' })).toBeNull();
    fireEvent.click(within(card('wa2')).getByRole('button', { name: 'Lift pause' }));
    await waitFor(() => expect(fake.sentOf('line.liftPause')).toEqual([{ lineId: 'wa2' }]));
    // The station pushes the line without its pause: the problem and the button go.
    act(() => fake.emit('lines', [makeLine('wa1'), makeLine('wa2')]));
    await waitFor(() => expect(within(card('wa2')).queryByRole('button', { name: 'Lift pause' })).toBeNull());
    expect(card('wa2').dataset.problem).toBe('');
  });

  it("says it in the table's Problem column", async () => {
    renderConsole(<LineGrid />, withStartup(new FakeStation(), [paused('wa1')]));
    await screen.findAllByTestId('line-card');
    fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    const row = (await screen.findAllByTestId('line-row'))[0]!;
    expect(within(row).getByTestId('row-problem').textContent).toContain(`Paused until ${untilText} (lock-after): ${REASON}.`);
  });
});
