/**
 * Where the console plays and downloads a call's recording: `GET /api/calls/{id}/recording` on the
 * page's own origin (serve mode's API; the desktop app's app:// scheme answers the same path). The page's
 * access token goes along as `?token=`, since an <audio> element cannot send an Authorization header.
 */
export function recordingUrl(recordId: string, opts: { download?: boolean; search?: string } = {}): string {
  const token = new URLSearchParams(opts.search ?? (typeof location === 'undefined' ? '' : location.search)).get('token');
  const q = new URLSearchParams();
  if (opts.download) q.set('download', '1');
  if (token) q.set('token', token);
  const query = q.toString();
  return `/api/calls/${encodeURIComponent(recordId)}/recording${query ? `?${query}` : ''}`;
}
