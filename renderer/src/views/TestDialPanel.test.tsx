// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestDialView } from '../../../electron/station/api/types';
import { FakeStation, INFO, makeLine, withStartup } from '../test-support/fake-station';
import { renderConsole } from '../test-support/render-console';
import { LineGrid } from './LineGrid';
import { cleanNumber, TestDialPanel } from './TestDialPanel';

afterEach(cleanup);

function view(patch: Partial<TestDialView> = {}): TestDialView {
  return {
    lineId: 'wa2',
    number: '628123456789',
    callId: 't1',
    state: 'connected',
    muted: false,
    startedAt: new Date(Date.now() - 3000).toISOString(),
    answeredAt: new Date().toISOString(),
    levelMicDbfs: -24,
    levelSpeakerDbfs: -30,
    audioProblem: null,
    outcome: null,
    ...patch,
  };
}

function station() {
  return withStartup(new FakeStation(), [makeLine('wa1'), makeLine('wa2')], { ...INFO, demo: true, demoContacts: [{ number: '15550100', name: 'Echo Ana', behaviour: 'echo' }] })
    .handle('testDial.start', (p) => view({ lineId: p.lineId, number: p.number, state: 'dialing', answeredAt: null }))
    .handle('testDial.mute', ({ muted }) => view({ muted }))
    .handle('testDial.hangUp', () => ({ hungUp: true }));
}

describe('the test dial panel', () => {
  it('opens preset to the card line and dials what was typed and pressed', async () => {
    const fake = station();
    renderConsole(
      <>
        <LineGrid />
        <TestDialPanel />
      </>,
      fake,
    );
    const cards = await screen.findAllByTestId('line-card');
    fireEvent.click(within(cards[1]!).getByRole('button', { name: 'Test dial' }));
    const panel = await screen.findByTestId('dial-panel');
    expect((within(panel).getByTestId('dial-line') as HTMLSelectElement).value).toBe('wa2');
    fireEvent.change(within(panel).getByTestId('dial-number'), { target: { value: '+62 812-3456' } });
    for (const k of ['7', '8', '9', '9']) fireEvent.click(within(panel).getByRole('button', { name: `dial ${k}` }));
    fireEvent.click(within(panel).getByRole('button', { name: 'delete the last digit' }));
    expect((within(panel).getByTestId('dial-number') as HTMLInputElement).value).toBe('+628123456789');
    fireEvent.keyDown(within(panel).getByTestId('dial-number'), { key: 'Enter' });
    await waitFor(() => expect(fake.sentOf('testDial.start')).toEqual([{ lineId: 'wa2', number: '+628123456789' }]));
  });

  it('shows the pushed test call with levels and the audio problem, and mutes and hangs up', async () => {
    const fake = station();
    const { store } = renderConsole(<TestDialPanel />, fake);
    act(() => store.getState().openDialPad('wa2'));
    await screen.findByTestId('dial-panel');
    act(() => fake.emit('testDial', view({ audioProblem: 'no sound device: the call carries silence' })));
    const call = screen.getByTestId('test-call');
    expect(call.dataset.callState).toBe('connected');
    expect(within(call).getByTestId('level-mic').dataset.dbfs).toBe('-24.0');
    expect(within(call).getByTestId('level-speaker').dataset.dbfs).toBe('-30.0');
    expect(within(call).getByTestId('audio-problem').textContent).toContain('no sound device');
    expect(within(call).getByTestId('test-call-timer').textContent).toMatch(/^0:0\d$/);
    fireEvent.click(within(call).getByRole('button', { name: 'Mute' }));
    await waitFor(() => expect(fake.sentOf('testDial.mute')).toEqual([{ muted: true }]));
    fireEvent.click(within(call).getByRole('button', { name: 'Hang up' }));
    await waitFor(() => expect(fake.sentOf('testDial.hangUp')).toEqual([{}]));
  });

  it('calls off a test dial while the headset still opens', async () => {
    let refuse: (err: Error) => void = () => undefined;
    const fake = station().handle('testDial.start', () => new Promise<TestDialView>((_, reject) => (refuse = reject)));
    const { store } = renderConsole(<TestDialPanel />, fake);
    await waitFor(() => expect(store.getState().lineIds).toHaveLength(2));
    act(() => store.getState().openDialPad('wa1'));
    const panel = await screen.findByTestId('dial-panel');
    expect(within(panel).queryByRole('button', { name: 'Cancel' })).toBeNull();
    fireEvent.change(within(panel).getByTestId('dial-number'), { target: { value: '15550100' } });
    fireEvent.click(within(panel).getByTestId('dial-call'));
    fireEvent.click(await within(panel).findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(fake.sentOf('testDial.hangUp')).toEqual([{}]));
    await act(async () => refuse(new Error('the test dial to +15550100 on line wa1 was hung up before the call was placed')));
    await waitFor(() => expect(within(panel).queryByRole('button', { name: 'Cancel' })).toBeNull());
    expect((within(panel).getByTestId('dial-call') as HTMLButtonElement).disabled).toBe(false);
  });

  it('dials a demo contact in one click', async () => {
    const fake = station();
    const { store } = renderConsole(<TestDialPanel />, fake);
    await waitFor(() => expect(store.getState().lineIds).toHaveLength(2));
    act(() => store.getState().openDialPad('wa1'));
    fireEvent.click(await screen.findByRole('button', { name: /Echo Ana/ }));
    await waitFor(() => expect(fake.sentOf('testDial.start')).toEqual([{ lineId: 'wa1', number: '15550100' }]));
  });

  it('keeps only digits and a leading +', () => {
    expect(cleanNumber(' +62 (812) 34-56 ')).toBe('+628123456');
    expect(cleanNumber('1+2')).toBe('12');
  });
});
