/**
 * The lock-after rule's figures (electron/station/policy/policy-config.ts), shared by the station-wide
 * policy and the per-line overrides: the runs of bad calls that pause a line (0: that kind is not
 * counted) and for how long.
 */
export const LOCK_AFTER_FIGURES = [
  { key: 'failed', label: 'failed calls' },
  { key: 'unanswered', label: 'unanswered calls' },
  { key: 'short', label: 'short calls' },
  { key: 'shortSeconds', label: 'short: under seconds' },
  { key: 'pauseMinutes', label: 'pause minutes' },
];
