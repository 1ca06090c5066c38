import { memo } from 'react';

/** The meter spans -60 dBFS (empty) to 0 dBFS (full). */
const FLOOR_DBFS = -60;

/** A small horizontal audio level meter with the figure beside it. */
export const LevelMeter = memo(function LevelMeter({ dbfs, label, testId }: { dbfs: number | null; label: string; testId: string }) {
  const known = dbfs !== null && Number.isFinite(dbfs);
  const fill = known ? Math.max(0, Math.min(1, (dbfs - FLOOR_DBFS) / -FLOOR_DBFS)) : 0;
  const level = !known || dbfs <= -50 ? 'silent' : dbfs >= -3 ? 'clip' : 'ok';
  return (
    <span className="meter" data-testid={testId} data-dbfs={known ? dbfs.toFixed(1) : ''} title={`${label}: ${known ? `${dbfs.toFixed(1)} dBFS` : 'no audio'}`}>
      <span className="meter-label">{label}</span>
      <span className="meter-bar" role="meter" aria-label={label} aria-valuemin={FLOOR_DBFS} aria-valuemax={0} aria-valuenow={known ? Math.round(dbfs) : FLOOR_DBFS}>
        <span className={`meter-fill meter-${level}`} style={{ width: `${Math.round(fill * 100)}%` }} />
      </span>
      <span className="meter-value">{known ? `${Math.round(dbfs)} dB` : '—'}</span>
    </span>
  );
});
