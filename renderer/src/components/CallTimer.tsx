import { memo } from 'react';
import { formatDuration, useNow } from './clock';

/** Time since the call was answered (or, before that, since it started), ticking every second. */
export const CallTimer = memo(function CallTimer({ since, testId = 'call-timer' }: { since: string; testId?: string }) {
  const now = useNow();
  const start = Date.parse(since);
  return (
    <span className="timer" data-testid={testId} data-since={since}>
      {Number.isFinite(start) ? formatDuration(now - start) : '-'}
    </span>
  );
});
