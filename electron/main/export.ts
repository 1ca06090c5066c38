/**
 * Saving the call log from the desktop app: the operator picks a file, the records are streamed into
 * it with the same exporter as GET /api/calls/export, and progress (rows, bytes) goes back to the
 * console. The export is written to a `.part` file and renamed at the end, so a failed or abandoned
 * export never leaves a truncated file under the chosen name.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import type { CallsSource } from '../station/server/calls-routes';
import { ApiError, parseParams, type ExportProgress } from '../station/api/contract';
import { EXPORT_FILE_SUFFIXES, EXPORT_FORMATS, exportCalls, type ExportFormat } from '../station/calllog/call-export';
import type { CallFilter } from '../station/calllog/call-record';

export interface ExportDeps {
  calls: () => CallsSource;
  window: () => BrowserWindow | null;
  /** Where the save dialog starts (the Downloads folder). */
  defaultDir: string;
}

export type ExportOutcome = ExportProgress & { savedTo: string | null };

function checkFormat(format: unknown): ExportFormat {
  if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ApiError(`export: format must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  return format as ExportFormat;
}

/** The export's filter, checked with the contract's call filters (those of calls.stats). */
function checkFilter(filter: unknown): CallFilter {
  let parsed;
  try {
    parsed = parseParams('calls.stats', filter ?? {});
  } catch (err) {
    throw new ApiError((err as Error).message.replace(/^calls\.stats: /, 'export: '));
  }
  const { from, to, lineId, direction, outcome, number } = parsed;
  return { from, to, lineId, direction, outcome, number };
}

async function saveDialog(win: BrowserWindow | null, defaultPath: string, format: ExportFormat): Promise<string | null> {
  const extension = format === 'json' ? 'json' : 'csv';
  const options = { title: 'Export call records', defaultPath, filters: [{ name: format === 'asterisk' ? 'Asterisk Master.csv' : extension.toUpperCase(), extensions: [extension] }] };
  const picked = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return picked.canceled || !picked.filePath ? null : picked.filePath;
}

export async function runExport(deps: ExportDeps, format: unknown, filter: unknown, onProgress: (p: ExportProgress) => void): Promise<ExportOutcome> {
  const fmt = checkFormat(format);
  const callFilter = checkFilter(filter);
  const { db, stationId } = deps.calls();
  if (!db) throw new ApiError('export: the call log is not open yet');
  const day = new Date().toISOString().slice(0, 10);
  const defaultPath = join(deps.defaultDir, `sip2wa-calls-${day}${EXPORT_FILE_SUFFIXES[fmt]}`);
  const file = await saveDialog(deps.window(), defaultPath, fmt);
  if (!file) return { rows: 0, bytes: 0, savedTo: null };
  const part = `${file}.part`;
  const out = createWriteStream(part, { mode: 0o600 });
  try {
    // bytesWritten counts what reached the file; the last report comes after the file is flushed.
    const result = await exportCalls(db, callFilter, fmt, out, (p) => onProgress({ rows: p.rows, bytes: out.bytesWritten + out.writableLength }), stationId);
    await rename(part, file);
    return { rows: result.rows, bytes: result.bytes, savedTo: file };
  } catch (err) {
    out.destroy();
    await rm(part, { force: true });
    throw new ApiError(`export to ${file} failed: ${(err as Error).message}`);
  }
}
