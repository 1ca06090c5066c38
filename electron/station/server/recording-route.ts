/**
 * `GET /api/calls/{recordId}/recording`: a call's recording (16 kHz stereo WAV, PBX side left, phone
 * side right), inline for the console's <audio> element or, with `?download=1`, as a file download.
 * Behind the same token as the rest of the API. The file is found through the call record, by its id:
 * nothing in the request becomes a path. Single byte ranges are served, so the player can seek.
 */
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import type { CallLog } from '../calllog/call-log';
import { recordingFileName, recordingPath } from '../calllog/recording-retention';

const ROUTE = /^\/api\/calls\/([^/]+)\/recording$/;

export interface RecordingSource {
  callLog: CallLog | null;
  /** The recordings folder (null: this station records nothing). */
  recordingsDir: string | null;
}

/** `call-20260103-1405-6281200001.wav`: when and with whom, for the operator's downloads folder. */
export function downloadName(startedAt: string, number: string): string {
  const d = new Date(startedAt);
  const p = (n: number) => String(n).padStart(2, '0');
  const digits = number.replace(/\D/g, '').slice(0, 15);
  return `call-${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${digits ? `-${digits}` : ''}.wav`;
}

function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

/** The recording route's record id in `pathname`, or null when the path is not that route. */
export function recordingRouteId(pathname: string): string | null {
  return ROUTE.exec(pathname)?.[1] ?? null;
}

export type FoundRecording = { file: string; info: Stats; fileName: string } | { status: 404 | 503; error: string };

/** The recording file of call record `id`, looked up through the record; or why there is none. */
export async function findRecording(source: RecordingSource, id: string): Promise<FoundRecording> {
  if (!source.callLog) return { status: 503, error: 'the call log is not open yet' };
  const record = recordingFileName(id) === null ? undefined : source.callLog.get(id);
  if (!record) return { status: 404, error: `no call record with the id "${id}"` };
  const file = source.recordingsDir === null ? null : recordingPath(source.recordingsDir, record.recording);
  if (file === null) return { status: 404, error: `call record ${id} has no recording` };
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return { status: 404, error: `the recording of call record ${id} is gone (deleted by retention or the size cap)` };
  const number = record.direction === 'whatsapp-to-sip' ? record.caller : record.destination;
  return { file, info, fileName: downloadName(record.startedAt, number) };
}

/** Handles the recording route; false when the path is not it. */
export async function handleRecording(
  source: RecordingSource,
  url: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  send: (status: number, body: unknown) => void,
): Promise<boolean> {
  const m = ROUTE.exec(url.pathname);
  if (!m) return false;
  const found = await findRecording(source, m[1]!);
  if ('error' in found) {
    send(found.status, { error: found.error });
    return true;
  }
  const { file, info, fileName } = found;
  const range = byteRange(req.headers.range, info.size);
  const disposition = url.searchParams.get('download') === '1' ? 'attachment' : 'inline';
  const headers: http.OutgoingHttpHeaders = {
    'content-type': 'audio/wav',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'accept-ranges': 'bytes',
    'content-disposition': `${disposition}; filename="${fileName}"`,
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${info.size}` });
    res.end();
    return true;
  }
  const { start, end } = range ?? { start: 0, end: info.size - 1 };
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': String(Math.max(0, end - start + 1)),
    ...(range ? { 'content-range': `bytes ${start}-${end}/${info.size}` } : {}),
  });
  if (info.size === 0) {
    res.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file, { start, end });
    stream.on('error', reject);
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return true;
}
