// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Toasts } from '../components/Toasts';
import { FakeStation, INFO, makeLine, withStartup } from '../test-support/fake-station';
import { renderConsole } from '../test-support/render-console';
import { LineGrid } from './LineGrid';

afterEach(cleanup);

const DEMO = {
  ...INFO,
  demo: true,
  demoContacts: [
    { number: '15550100001', name: 'Echo', behaviour: 'echo' },
    { number: '15550100002', name: 'Tone', behaviour: 'tone' },
  ],
};

describe('the demo incoming call on a line', () => {
  it('lets a chosen demo contact call the line and write to it', async () => {
    const fake = withStartup(new FakeStation(), [makeLine('wa1'), makeLine('wa2')], DEMO)
      .handle('demo.incomingCall', ({ lineId, from }) => ({ ringing: true, lineId, from, extension: '1001' }))
      .handle('demo.incomingMessage', ({ lineId, from }) => ({ sent: true, lineId, from }));
    renderConsole(<LineGrid />, fake);
    const cards = await screen.findAllByTestId('line-card');
    fireEvent.click(within(cards[1]!).getByRole('button', { name: 'Incoming WhatsApp call…' }));
    const panel = await screen.findByTestId('demo-incoming');
    fireEvent.change(within(panel).getByTestId('demo-incoming-from'), { target: { value: '15550100002' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Incoming WhatsApp call from Tone' }));
    await waitFor(() => expect(fake.sentOf('demo.incomingCall')).toEqual([{ lineId: 'wa2', from: '15550100002' }]));
    expect((await within(panel).findByTestId('demo-incoming-status')).textContent).toBe('Tone is calling line wa2: extension 1001 rings');
    fireEvent.change(within(panel).getByLabelText('demo message text'), { target: { value: 'are you there?' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send as Tone' }));
    await waitFor(() => expect(fake.sentOf('demo.incomingMessage')).toEqual([{ lineId: 'wa2', from: '15550100002', text: 'are you there?' }]));
  });

  it("shows the station's reason when the line cannot ring its extension", async () => {
    const fake = withStartup(new FakeStation(), [makeLine('wa1')], DEMO).handle('demo.incomingCall', () => {
      throw new Error('line wa1 has no inbound extension: set the extension WhatsApp calls ring in Settings (inboundExtension)');
    });
    renderConsole(
      <>
        <LineGrid />
        <Toasts />
      </>,
      fake,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Incoming WhatsApp call…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Incoming WhatsApp call from Echo' }));
    expect((await screen.findByTestId('toast')).textContent).toContain('demo.incomingCall: line wa1 has no inbound extension');
    expect(screen.queryByTestId('demo-incoming-status')).toBeNull();
  });

  it('is not offered outside the demo', async () => {
    renderConsole(<LineGrid />, withStartup(new FakeStation(), [makeLine('wa1')]));
    await screen.findAllByTestId('line-card');
    expect(screen.queryByRole('button', { name: 'Incoming WhatsApp call…' })).toBeNull();
  });
});
