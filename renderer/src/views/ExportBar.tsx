/** Export of the filtered call log as CSV, JSON or Asterisk's Master.csv, with rows and bytes shown while it downloads. */
import { useState } from 'react';
import type { CallFilterParams, ExportFormat, ExportProgress } from '../../../electron/station/api/contract';
import { useClient, useStation } from '../store/station-context';

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function ExportBar({ filter }: { filter: CallFilterParams }) {
  const client = useClient();
  const toast = useStation((s) => s.toast);
  const [progress, setProgress] = useState<(ExportProgress & { done: boolean; savedTo: string | null }) | null>(null);
  const running = progress !== null && !progress.done;

  const start = async (format: ExportFormat) => {
    setProgress({ rows: 0, bytes: 0, done: false, savedTo: null });
    try {
      const r = await client.exportCalls(format, filter, (p) => setProgress({ ...p, done: false, savedTo: null }));
      setProgress({ rows: r.rows, bytes: r.bytes, done: true, savedTo: r.savedTo });
    } catch (err) {
      setProgress(null);
      toast('error', (err as Error).message);
    }
  };

  return (
    <div className="export" data-testid="export">
      <button type="button" disabled={running} onClick={() => void start('csv')}>
        Export CSV
      </button>
      <button type="button" disabled={running} onClick={() => void start('json')}>
        Export JSON
      </button>
      <button type="button" disabled={running} onClick={() => void start('asterisk')} title="Asterisk cdr_csv columns, no header, for PBX billing tools">
        Export Master.csv
      </button>
      {progress ? (
        <span className="muted" data-testid="export-progress" role="status">
          {progress.done ? 'saved' : 'exporting…'} {progress.rows} rows, {size(progress.bytes)}
          {progress.done && progress.savedTo ? ` to ${progress.savedTo}` : ''}
        </span>
      ) : null}
    </div>
  );
}
