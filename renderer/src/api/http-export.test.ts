import { describe, expect, it } from 'vitest';
import type { ExportProgress } from '../../../electron/station/api/contract';
import { createHttpExporter, exportFileName, exportUrl } from './http-export';

/** A response whose body arrives in the given chunks, as a slow download would. */
function streamed(chunks: string[]): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/csv' } });
}

describe('the HTTP export', () => {
  it('names the file by the local time it started', () => {
    expect(exportFileName('csv', new Date(2026, 2, 7, 9, 5))).toBe('calls-20260307-0905.csv');
    expect(exportFileName('json', new Date(2026, 10, 26, 23, 59))).toBe('calls-20261126-2359.json');
  });

  it('passes the filters as the export endpoint names them, with the token', () => {
    expect(exportUrl('csv', { lineId: 'wa1', from: 1000, outcome: 'answered', number: '628' }, 'tok')).toBe(
      '/api/calls/export?format=csv&from=1000&line=wa1&outcome=answered&number=628&token=tok',
    );
  });

  it('reports rows and bytes while it downloads and saves the exact bytes', async () => {
    const chunks = ['\ufeffcall_id,line\r\n', 'c1,wa1\r\nc2,wa1\r\n', 'c3,wa2\r\n'];
    const urls: string[] = [];
    const saved: { blob: Blob; name: string }[] = [];
    const exporter = createHttpExporter({
      token: null,
      fetchImpl: async (url) => {
        urls.push(String(url));
        return streamed(chunks);
      },
      save: (blob, name) => saved.push({ blob, name }),
    });
    const progress: ExportProgress[] = [];
    const result = await exporter.exportCalls('csv', { direction: 'echo-test' }, (p) => progress.push(p));
    const bytes = new TextEncoder().encode(chunks.join('')).byteLength;
    expect(urls).toEqual(['/api/calls/export?format=csv&direction=echo-test']);
    expect(progress.map((p) => p.rows)).toEqual([0, 2, 3, 3]);
    expect(progress.at(-1)!.bytes).toBe(bytes);
    expect(result).toMatchObject({ rows: 3, bytes, savedTo: expect.stringMatching(/^calls-\d{8}-\d{4}\.csv$/) });
    expect(saved[0]!.name).toBe(result.savedTo);
    // Byte for byte, BOM included (spreadsheets need it to read UTF-8).
    expect(new Uint8Array(await saved[0]!.blob.arrayBuffer())).toEqual(new TextEncoder().encode(chunks.join('')));
  });

  it('counts JSON records and reports a refused export with the station reason', async () => {
    const json = ['[\n{"id":"a"}', ',\n{"id":"b"}', '\n]\n'];
    const ok = createHttpExporter({ token: null, fetchImpl: async () => streamed(json), save: () => undefined });
    expect((await ok.exportCalls('json', {}, () => undefined)).rows).toBe(2);
    const refused = createHttpExporter({
      token: null,
      fetchImpl: async () => new Response(JSON.stringify({ error: 'from: "yesterday" is not a date (ISO 8601 or epoch milliseconds)' }), { status: 400 }),
      save: () => undefined,
    });
    await expect(refused.exportCalls('csv', {}, () => undefined)).rejects.toThrow('export failed (HTTP 400): from: "yesterday" is not a date');
  });
});
