// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../electron/station/calllog/call-record';
import { FakeStation, makeLine, withStartup } from '../test-support/fake-station';
import { renderConsole } from '../test-support/render-console';
import { CallLog, PAGE_SIZE } from './CallLog';

afterEach(cleanup);

function record(i: number): CallRecord {
  const at = new Date(Date.UTC(2026, 0, 1, 12) - i * 60_000).toISOString();
  return {
    id: `r${i}`,
    callId: `c${i}`,
    sipCallId: null,
    direction: 'sip-to-whatsapp',
    lineId: i % 2 ? 'wa2' : 'wa1',
    carrierLineId: i % 2 ? 'wa2' : 'wa1',
    deviceSerial: i % 2 ? 'R58M0002' : 'R58M0001',
    whatsappAccount: null,
    sipAccount: null,
    caller: '101',
    destination: `62812000${String(i).padStart(4, '0')}`,
    destinationSource: 'caller-id',
    startedAt: at,
    ringingAt: null,
    answeredAt: at,
    endedAt: at,
    durationSeconds: 30,
    billableSeconds: 30,
    sipCode: 200,
    outcome: 'answered',
    hangupSide: 'sip',
    policyRule: null,
    codec: 'G722',
    rtp: null,
    postDialDelayMs: null,
    endApproximate: false,
    endReason: null,
    endCause: null,
    recording: null,
    updatedAt: at,
  };
}

/** 120 records, newest first, paged by a cursor that is the index of the next record. */
function station() {
  const all = Array.from({ length: 120 }, (_, i) => record(i));
  return withStartup(new FakeStation(), [makeLine('wa1'), makeLine('wa2')])
    .handle('calls.query', (p) => {
      const rows = all.filter((r) => !p.lineId || r.lineId === p.lineId);
      const start = p.cursor ? Number(p.cursor) : 0;
      const end = start + (p.limit ?? 50);
      return { records: rows.slice(start, end), nextCursor: end < rows.length ? String(end) : null };
    })
    .handle('calls.stats', () => ({
      total: { attempts: 120, answered: 60, filtered: 0, asr: 0.5, acdSeconds: 30, uniqueNumbers: 120 },
      lines: [{ lineId: 'wa1', attempts: 60, answered: 30, filtered: 0, asr: 0.5, acdSeconds: 30, uniqueNumbers: 60 }],
      series: [0, 1, 2].map((d) => ({ start: `2026-01-0${d + 1}T00:00:00`, startMs: Date.UTC(2026, 0, d + 1), calls: 10 * (d + 1), answered: 5, asr: 0.5, acdSeconds: 30 })),
    }));
}

const firstDestination = () => screen.getAllByTestId('call-row')[0]!.children[5]!.textContent;

describe('the call log', () => {
  it('pages forward and back with the station cursor', async () => {
    const fake = station();
    renderConsole(<CallLog />, fake);
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(PAGE_SIZE));
    expect(firstDestination()).toBe('628120000000');
    // Each record names the phone that carried it, by serial, beside its line.
    expect(screen.getAllByTestId('call-phone').slice(0, 2).map((td) => td.textContent)).toEqual(['R58M0001', 'R58M0002']);
    fireEvent.click(screen.getByRole('button', { name: 'Older →' }));
    await waitFor(() => expect(firstDestination()).toBe('628120000050'));
    expect(screen.getByTestId('page-number').textContent).toBe('page 2');
    fireEvent.click(screen.getByRole('button', { name: 'Older →' }));
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(20));
    expect(screen.getByRole('button', { name: 'Older →' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: '← Newer' }));
    await waitFor(() => expect(firstDestination()).toBe('628120000050'));
    fireEvent.click(screen.getByRole('button', { name: '← Newer' }));
    await waitFor(() => expect(firstDestination()).toBe('628120000000'));
    expect(screen.getByRole('button', { name: '← Newer' })).toHaveProperty('disabled', true);
    expect(fake.sentOf('calls.query').map((p) => (p as { cursor?: string }).cursor)).toEqual([undefined, '50', '100', '50', undefined]);
  });

  it('sends the filters and starts again from the first page', async () => {
    const fake = station();
    renderConsole(<CallLog />, fake);
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(PAGE_SIZE));
    fireEvent.click(screen.getByRole('button', { name: 'Older →' }));
    await waitFor(() => expect(screen.getByTestId('page-number').textContent).toBe('page 2'));
    fireEvent.change(screen.getByTestId('filter-line'), { target: { value: 'wa2' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-01' } });
    fireEvent.change(screen.getByLabelText('Number'), { target: { value: '+62 812' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.getByTestId('page-number').textContent).toBe('page 1'));
    const last = fake.sentOf('calls.query').at(-1) as Record<string, unknown>;
    expect(last).toEqual({ lineId: 'wa2', from: new Date(2026, 0, 1).getTime(), number: '62812', limit: PAGE_SIZE });
  });

  it('draws the series as SVG bars and lists each line', async () => {
    renderConsole(<CallLog />, station());
    await waitFor(() => expect(screen.getAllByTestId('chart')).toHaveLength(3));
    const calls = screen.getAllByTestId('chart')[0]!;
    const bars = [...calls.querySelectorAll('rect')].map((r) => Number(r.getAttribute('height')));
    expect(bars).toHaveLength(3);
    // 10, 20, 30 calls: heights in proportion.
    expect(bars[1]! / bars[0]!).toBeCloseTo(2);
    expect(bars[2]! / bars[0]!).toBeCloseTo(3);
    const rows = [...document.querySelectorAll('table.line-stats tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent));
    expect(rows).toEqual([
      ['wa1', '60', '30', '50%', '30 s', '0', '60'],
      ['all', '120', '60', '50%', '30 s', '0', '120'],
    ]);
  });

  it('says the charts count PBX calls, and counts the operator test dials apart', async () => {
    const empty = { attempts: 0, answered: 0, filtered: 0, asr: null, acdSeconds: null, uniqueNumbers: 0 };
    const fake = station().handle('calls.stats', (p) => ({
      total: { ...empty, attempts: p.direction === 'test-dial' ? 7 : p.direction === 'echo-test' ? 1 : 0 },
      lines: [],
      series: [],
    }));
    renderConsole(<CallLog />, fake);
    await waitFor(() => expect(screen.getByTestId('charts-count').textContent).toContain('Not counted here'));
    expect(screen.getByTestId('charts-count').textContent).toBe(
      'PBX calls, both directions (SIP to WhatsApp and WhatsApp to SIP). Not counted here: 7 test dials and 1 echo test by the operator (pick the direction in the filter to see them).',
    );
    expect(screen.getAllByTestId('chart')[0]!.querySelector('figcaption')!.textContent).toMatch(/^PBX calls /);
    expect(fake.sentOf('calls.stats').map((p) => (p as { direction?: string }).direction)).toEqual([undefined, 'test-dial', 'echo-test']);
  });

  it('offers a player and a download for a recorded call, and neither for the others', async () => {
    const recorded = { ...record(0), id: '0f8e2c1a-4b7d-4e3f-9a21-5c6d7e8f9a0b', recording: '0f8e2c1a-4b7d-4e3f-9a21-5c6d7e8f9a0b.wav' };
    const fake = station().handle('calls.query', () => ({ records: [recorded, record(1)], nextCursor: null }));
    window.history.replaceState(null, '', '/?token=s3cret');
    try {
      renderConsole(<CallLog />, fake);
      await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(2));
      const [withFile, without] = screen.getAllByTestId('call-row');
      const player = withFile!.querySelector('audio')!;
      // Loaded from the station only when the operator presses play, with the page's token.
      expect(player.getAttribute('src')).toBe(`/api/calls/${recorded.id}/recording?token=s3cret`);
      expect(player.hasAttribute('controls')).toBe(true);
      expect(player.getAttribute('preload')).toBe('none');
      const link = withFile!.querySelector<HTMLAnchorElement>('[data-testid="recording-download"]')!;
      expect(link.getAttribute('href')).toBe(`/api/calls/${recorded.id}/recording?download=1&token=s3cret`);
      expect(link.hasAttribute('download')).toBe(true);
      expect(without!.querySelector('audio, [data-testid="recording-download"]')).toBeNull();
    } finally {
      window.history.replaceState(null, '', '/');
    }
  });
});
