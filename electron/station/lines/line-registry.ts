/**
 * The station's lines: one per configured SIP account, plus one per phone that no line claims (shown
 * with registration `disabled` and the reason, so a newly plugged phone is visible before it is
 * configured, and can be test-dialled).
 */
import type { LineDeviceView, LineView } from '../api/types';
import type { DeviceSnapshot } from '../devices/device-supervisor';
import type { Line } from './line';

export function deviceView(snap: DeviceSnapshot): LineDeviceView {
  return {
    serial: snap.serial,
    state: snap.state,
    detail: snap.detail,
    since: new Date(snap.since).toISOString(),
    lastError: snap.lastError && { message: snap.lastError.message, at: new Date(snap.lastError.at).toISOString() },
    props: snap.props,
    pingRttMs: snap.pingRttMs,
  };
}

/** The grid's order: lines with a SIP account by id, then the phones no account claims. */
export function listLines(lines: readonly Line[]): LineView[] {
  const byId = (a: LineView, b: LineView): number => a.id.localeCompare(b.id, 'en', { numeric: true });
  const views = lines.map((l) => ({ sip: l.hasSip, view: l.view() }));
  return [...views.filter((v) => v.sip).map((v) => v.view).sort(byId), ...views.filter((v) => !v.sip).map((v) => v.view).sort(byId)];
}
