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

  it('fills the number from a demo contact; Call dials it', async () => {
    const fake = station();
    const { store } = renderConsole(<TestDialPanel />, fake);
    await waitFor(() => expect(store.getState().lineIds).toHaveLength(2));
    act(() => store.getState().openDialPad('wa1'));
    fireEvent.click(await screen.findByRole('button', { name: /Echo Ana/ }));
    expect((screen.getByTestId('dial-number') as HTMLInputElement).value).toBe('15550100');
    expect(fake.sentOf('testDial.start')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Call' }));
    await waitFor(() => expect(fake.sentOf('testDial.start')).toEqual([{ lineId: 'wa1', number: '15550100' }]));
  });

  it('without a headset says so once and offers the line echo test instead of a silent call', async () => {
    const noAudio = { ...INFO, audio: { available: false, reason: 'no sound device found' } };
    const fake = withStartup(new FakeStation(), [makeLine('wa1'), makeLine('wa2')], noAudio)
      .handle('line.echoTest', ({ lineId }) => ({ ok: true, lineId, number: '15550100', roundTripMs: 84.2, correlation: 0.97, levelDbfs: -13.1, message: 'the echo came back clean' }))
      .handle('testDial.start', (p) => view({ lineId: p.lineId, number: p.number, audioProblem: 'no sound device found: the call carries silence' }));
    const { store } = renderConsole(<TestDialPanel />, fake);
    await waitFor(() => expect(store.getState().lineIds).toHaveLength(2));
    act(() => store.getState().openDialPad('wa2'));
    const panel = await screen.findByTestId('dial-panel');
    // Opening the pad asks the station for its sound devices, so the answer is known before a call.
    await waitFor(() => expect(fake.sentOf('audio.devices')).toEqual([{}]));
    expect(within(panel).getByTestId('no-headset').textContent).toContain('No headset: no sound device found.');
    fireEvent.click(within(panel).getByRole('button', { name: 'Echo test on line wa2' }));
    await waitFor(() => expect(fake.sentOf('line.echoTest')).toEqual([{ lineId: 'wa2' }]));
    expect((await within(panel).findByTestId('dial-echo-result')).textContent).toMatch(/Echo test passed.*round trip 84 ms · correlation 0.97/);
    // A call placed anyway does not say a second time that there is no headset.
    fireEvent.change(within(panel).getByTestId('dial-number'), { target: { value: '15550100' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Call' }));
    await waitFor(() => expect(fake.sentOf('testDial.start')).toHaveLength(1));
    act(() => fake.emit('testDial', view({ audioProblem: 'no sound device found: the call carries silence' })));
    expect(within(panel).getByTestId('test-call')).toBeTruthy();
    expect(within(panel).queryByTestId('audio-problem')).toBeNull();
    expect(panel.textContent!.match(/no sound device/g)).toHaveLength(1);
  });

  it('shows a test dial still in progress when the console is opened again, with its controls', async () => {
    const fake = station().handle('testDial.current', () => view({ lineId: 'wa1', number: '15550100' }));
    renderConsole(<TestDialPanel />, fake);
    const call = await screen.findByTestId('test-call');
    expect(call.textContent).toContain('+15550100 on line wa1');
    fireEvent.click(within(call).getByRole('button', { name: 'Hang up' }));
    await waitFor(() => expect(fake.sentOf('testDial.hangUp')).toEqual([{}]));
  });

  it('keeps only digits and a leading +', () => {
    expect(cleanNumber(' +62 (812) 34-56 ')).toBe('+628123456');
    expect(cleanNumber('1+2')).toBe('12');
  });
});
