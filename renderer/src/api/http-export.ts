/**
 * The call-log export in serve mode: GET /api/calls/export read chunk by chunk, so the operator sees
 * rows and bytes grow while a large export downloads, then handed to the browser as a file download.
 */
import type { CallExporter, CallFilterParams, ExportFormat, ExportProgress } from '../../../electron/station/api/contract';

const SUFFIXES: Record<ExportFormat, string> = { csv: '.csv', json: '.json', asterisk: '-Master.csv' };

/** `calls-YYYYMMDD-HHMM.csv` (`-Master.csv` for Asterisk's format) in local time, the moment the export started. */
export function exportFileName(format: ExportFormat, at = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `calls-${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${SUFFIXES[format]}`;
}

/** The export URL with the filters as GET /api/calls/export names them (the line filter is `line`). */
export function exportUrl(format: ExportFormat, filter: CallFilterParams, token: string | null): string {
  const q = new URLSearchParams({ format });
  if (filter.from !== undefined) q.set('from', String(filter.from));
  if (filter.to !== undefined) q.set('to', String(filter.to));
  if (filter.lineId) q.set('line', filter.lineId);
  if (filter.direction) q.set('direction', filter.direction);
  if (filter.outcome) q.set('outcome', filter.outcome);
  if (filter.number) q.set('number', filter.number);
  if (token) q.set('token', token);
  return `/api/calls/export?${q}`;
}

const NEWLINE = 0x0a;

/**
 * Rows so far from the newlines seen: the CSV has a header line, Master.csv none, the JSON export puts
 * one record per line between "[" and "]". A quoted newline inside a field would count twice, so the figure is a
 * progress indication; the file itself is byte-exact.
 */
function rowsFrom(format: ExportFormat, newlines: number, done: boolean): number {
  if (format === 'asterisk') return newlines;
  if (format === 'csv') return Math.max(0, newlines - 1);
  return Math.max(0, done ? newlines - 2 : newlines - 1);
}

export interface HttpExporterOptions {
  token: string | null;
  fetchImpl?: typeof fetch;
  /** Hands the finished file to the user; by default an `<a download>` click. */
  save?: (blob: Blob, fileName: string) => void;
}

function saveWithLink(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; the object URL can go once the event loop turns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function createHttpExporter(opts: HttpExporterOptions): CallExporter {
  const doFetch = opts.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const save = opts.save ?? saveWithLink;
  return {
    async exportCalls(format, filter, onProgress) {
      const fileName = exportFileName(format);
      const res = await doFetch(exportUrl(format, filter, opts.token));
      if (!res.ok) {
        const body = await res.text();
        let message = body;
        try {
          message = (JSON.parse(body) as { error?: string }).error ?? body;
        } catch {
          // not JSON: the text itself says why
        }
        throw new Error(`export failed (HTTP ${res.status}): ${message}`);
      }
      if (!res.body) throw new Error('export failed: the station sent no data');
      const reader = res.body.getReader();
      const chunks: Uint8Array[] = [];
      const progress: ExportProgress = { rows: 0, bytes: 0 };
      let newlines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        progress.bytes += value.byteLength;
        for (let i = 0; i < value.length; i++) if (value[i] === NEWLINE) newlines++;
        progress.rows = rowsFrom(format, newlines, false);
        onProgress({ ...progress });
      }
      progress.rows = rowsFrom(format, newlines, true);
      onProgress({ ...progress });
      const type = format === 'json' ? 'application/json;charset=utf-8' : 'text/csv;charset=utf-8';
      save(new Blob(chunks as BlobPart[], { type }), fileName);
      return { ...progress, savedTo: fileName };
    },
  };
}
