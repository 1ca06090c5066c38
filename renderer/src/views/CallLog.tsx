/**
 * The call history: filters, a page of records with keyset paging (the station gives the cursor of
 * the next page; the console keeps the cursors it came through to go back), export, and charts.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CallFilterParams, CommandResults } from '../../../electron/station/api/contract';
import type { CallRecord } from '../../../electron/station/calllog/call-record';
import type { CallEndCause } from '../../../electron/station/values';
import { useCommand } from '../store/station-context';
import { CallCharts, type OperatorChecks } from './CallCharts';
import { CallFilterFields, EMPTY_FORM, toFilter, type FilterForm } from './call-filter-form';
import { ExportBar } from './ExportBar';
import { recordingUrl } from '../api/recording-url';

export const PAGE_SIZE = 50;

/** How the log flags a call that ended abnormally; the record's end reason says why in full. */
const END_CAUSE_LABELS: Record<CallEndCause, string> = { 'no-ack': 'no ACK', 'bye-refused': 'BYE refused', 'rtp-timeout': 'RTP timeout' };

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** The call's recording: a player that loads only when played, and the file to download. */
function Recording({ r }: { r: CallRecord }) {
  return (
    <>
      <audio controls preload="none" src={recordingUrl(r.id)} data-testid="recording-player" aria-label={`recording of the call with ${r.direction === 'whatsapp-to-sip' ? r.caller : r.destination}`} />
      <a href={recordingUrl(r.id, { download: true })} download data-testid="recording-download">
        Download
      </a>
    </>
  );
}

function Row({ r }: { r: CallRecord }) {
  return (
    <tr data-testid="call-row" data-call-id={r.callId}>
      <td>{when(r.startedAt)}</td>
      {/* A hunted call: the extension called, and the line whose phone carried it. */}
      <td title={r.carrierLineId && r.carrierLineId !== r.lineId ? `called ${r.lineId}, carried by ${r.carrierLineId}'s phone` : undefined}>
        {r.carrierLineId && r.carrierLineId !== r.lineId ? `${r.lineId} → ${r.carrierLineId}` : r.lineId}
      </td>
      {/* The phone that carried the call, by serial: the identity that outlives a line's id. */}
      <td className="muted" data-testid="call-phone">
        {r.deviceSerial ?? ''}
      </td>
      <td>{r.direction}</td>
      <td>{r.caller}</td>
      <td>{r.destination}</td>
      <td className={r.outcome === 'answered' ? 'good-text' : undefined}>{r.outcome ?? 'in progress'}</td>
      <td>{r.sipCode ?? ''}</td>
      <td>{r.billableSeconds ?? ''}</td>
      <td>{r.codec ?? ''}</td>
      <td>
        {r.endCause ? (
          <span className="badge end-cause" data-testid="end-cause" data-cause={r.endCause}>
            {END_CAUSE_LABELS[r.endCause]}
          </span>
        ) : null}
        {r.endCause ? ' ' : ''}
        {r.policyRule ?? r.endReason ?? r.hangupSide ?? ''}
        {r.endApproximate ? ' (end approximate)' : ''}
      </td>
      <td className="recording">{r.recording ? <Recording r={r} /> : null}</td>
    </tr>
  );
}

export function CallLog() {
  const run = useCommand();
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<CallFilterParams>({});
  // cursors[i] is the cursor that fetched page i (undefined for the first page).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<CommandResults['calls.query'] | null>(null);
  const [stats, setStats] = useState<CommandResults['calls.stats'] | null>(null);
  const [checks, setChecks] = useState<OperatorChecks | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (f: CallFilterParams, cursor: string | undefined) => {
      setLoading(true);
      const p = await run('calls.query', { ...f, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
      setLoading(false);
      if (p) setPage(p);
      return p !== null;
    },
    [run],
  );

  useEffect(() => {
    void load(filter, undefined);
    const bucket = filter.from !== undefined && filter.to !== undefined && filter.to - filter.from <= 3 * 86_400_000 ? 'hour' : 'day';
    void run('calls.stats', { ...filter, bucket }).then((s) => s && setStats(s));
    // The statistics leave the operator's test dials and echo tests out: count them apart.
    setChecks(null);
    if (filter.direction === undefined) {
      const count = (direction: 'test-dial' | 'echo-test') => run('calls.stats', { ...filter, direction, bucket }).then((s) => s?.total.attempts ?? 0);
      void Promise.all([count('test-dial'), count('echo-test')]).then(([testDials, echoTests]) => setChecks({ testDials, echoTests }));
    }
  }, [filter, load, run]);

  const apply = () => {
    setCursors([undefined]);
    setFilter(toFilter(form));
  };
  const next = async () => {
    if (!page?.nextCursor) return;
    if (await load(filter, page.nextCursor)) setCursors((c) => [...c, page.nextCursor!]);
  };
  const previous = async () => {
    if (cursors.length < 2) return;
    const back = cursors.slice(0, -1);
    if (await load(filter, back[back.length - 1])) setCursors(back);
  };

  return (
    <section className="call-log" aria-label="call log">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <CallFilterFields form={form} onChange={(p) => setForm((f) => ({ ...f, ...p }))} />
        <button type="submit" className="primary">
          Apply
        </button>
      </form>
      <ExportBar filter={filter} />
      <table className="records">
        <thead>
          <tr>
            <th>Started</th>
            <th>Line</th>
            <th>Phone</th>
            <th>Direction</th>
            <th>Caller</th>
            <th>Destination</th>
            <th>Outcome</th>
            <th>SIP</th>
            <th>Billed s</th>
            <th>Codec</th>
            <th>Rule / hung up by</th>
            <th>Recording</th>
          </tr>
        </thead>
        <tbody>
          {page?.records.map((r) => <Row key={r.id} r={r} />)}
        </tbody>
      </table>
      {page && page.records.length === 0 ? <p className="empty">No calls match these filters.</p> : null}
      <div className="pager">
        <button type="button" onClick={() => void previous()} disabled={loading || cursors.length < 2}>
          ← Newer
        </button>
        <span data-testid="page-number">page {cursors.length}</span>
        <button type="button" onClick={() => void next()} disabled={loading || !page?.nextCursor}>
          Older →
        </button>
      </div>
      {stats ? <CallCharts stats={stats} direction={filter.direction} checks={checks} /> : null}
    </section>
  );
}
