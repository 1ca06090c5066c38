/**
 * Calls, ASR and ACD over time from `calls.stats`, drawn as plain SVG (no chart library): one small
 * chart per measure for the filtered calls (pick a line in the filter to see that line), and a table
 * of each line's totals. The charts say what they count: PBX calls (both directions) unless the filter
 * picks a direction; the operator's test dials and echo tests are counted apart, below them.
 */
import type { CallFilterParams, CommandResults } from '../../../electron/station/api/contract';
import type { SeriesPoint } from '../../../electron/station/calllog/call-stats';

type Stats = CommandResults['calls.stats'];

const W = 320;
const H = 90;
const PAD = 18;

function Chart({ title, points, value, format }: { title: string; points: SeriesPoint[]; value: (p: SeriesPoint) => number | null; format: (v: number) => string }) {
  const values = points.map(value);
  const max = Math.max(1e-9, ...values.map((v) => v ?? 0));
  const n = Math.max(1, points.length);
  const bw = (W - PAD * 2) / n;
  const last = [...values].reverse().find((v) => v !== null) ?? null;
  return (
    <figure className="chart" data-testid="chart">
      <figcaption>
        {title} <span className="muted">max {format(max)}{last !== null ? ` · last ${format(last)}` : ''}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} over time`}>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="axis" />
        {values.map((v, i) =>
          v === null ? null : (
            <rect key={points[i]!.startMs} x={PAD + i * bw + 0.5} width={Math.max(1, bw - 1)} y={H - PAD - ((H - PAD * 2) * v) / max} height={((H - PAD * 2) * v) / max} className="bar">
              <title>{`${new Date(points[i]!.startMs).toLocaleString()}: ${format(v)}`}</title>
            </rect>
          ),
        )}
        {points.length ? (
          <>
            <text x={PAD} y={H - 4} className="tick">
              {new Date(points[0]!.startMs).toLocaleDateString()}
            </text>
            <text x={W - PAD} y={H - 4} className="tick" textAnchor="end">
              {new Date(points[points.length - 1]!.startMs).toLocaleDateString()}
            </text>
          </>
        ) : null}
      </svg>
    </figure>
  );
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
const secs = (v: number | null) => (v === null ? '—' : `${Math.round(v)} s`);

/** The operator's own calls in the same filter, which the statistics above leave out. */
export interface OperatorChecks {
  testDials: number;
  echoTests: number;
}

const COUNTED: Record<string, string> = {
  'sip-to-whatsapp': 'PBX calls to WhatsApp',
  'whatsapp-to-sip': 'WhatsApp calls to the PBX',
  'test-dial': 'Test dials',
  'echo-test': 'Echo tests',
};

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function CallCharts({ stats, direction, checks }: { stats: Stats; direction?: CallFilterParams['direction']; checks?: OperatorChecks | null }) {
  const counted = direction ? COUNTED[direction]! : 'PBX calls';
  return (
    <section className="charts" aria-label="call statistics">
      <p className="muted" data-testid="charts-count">
        {direction ? `${counted} only.` : 'PBX calls, both directions (SIP to WhatsApp and WhatsApp to SIP).'}
        {checks && checks.testDials + checks.echoTests > 0
          ? ` Not counted here: ${plural(checks.testDials, 'test dial')} and ${plural(checks.echoTests, 'echo test')} by the operator (pick the direction in the filter to see them).`
          : ''}
      </p>
      <div className="chart-row">
        <Chart title={counted} points={stats.series} value={(p) => p.calls} format={(v) => String(Math.round(v))} />
        <Chart title="ASR" points={stats.series} value={(p) => p.asr} format={(v) => `${Math.round(v * 100)}%`} />
        <Chart title="ACD" points={stats.series} value={(p) => p.acdSeconds} format={(v) => `${Math.round(v)} s`} />
      </div>
      <table className="line-stats">
        <thead>
          <tr>
            <th>Line</th>
            <th>{counted}</th>
            <th>Answered</th>
            <th>ASR</th>
            <th>ACD</th>
            <th>Filtered</th>
            <th>Unique numbers</th>
          </tr>
        </thead>
        <tbody>
          {stats.lines.map((l) => (
            <tr key={l.lineId}>
              <td>{l.lineId}</td>
              <td>{l.attempts}</td>
              <td>{l.answered}</td>
              <td>{pct(l.asr)}</td>
              <td>{secs(l.acdSeconds)}</td>
              <td>{l.filtered}</td>
              <td>{l.uniqueNumbers}</td>
            </tr>
          ))}
          <tr className="total">
            <td>all</td>
            <td>{stats.total.attempts}</td>
            <td>{stats.total.answered}</td>
            <td>{pct(stats.total.asr)}</td>
            <td>{secs(stats.total.acdSeconds)}</td>
            <td>{stats.total.filtered}</td>
            <td>{stats.total.uniqueNumbers}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
