/**
 * The station's lines: one per configured SIP account, plus one per phone that no line claims (shown
 * with registration `disabled`, so a newly plugged phone is visible before it is configured).
 */
import type { LineDeviceView, LineView } from '../api/types';
import type { DeviceManager } from '../devices/device-manager';
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

/** A phone without a configured line. */
export function unconfiguredLineView(snap: DeviceSnapshot): LineView {
  return {
    id: snap.serial,
    device: deviceView(snap),
    agent: snap.state === 'ready' ? snap.agent : null,
    registration: { state: 'disabled', reason: 'no SIP account configured', code: null },
    call: null,
  };
}

export function listLines(lines: readonly Line[], devices: DeviceManager): LineView[] {
  const claimed = new Set(lines.map((l) => l.config.serial));
  const spare = devices.devices.filter((d) => !claimed.has(d.serial)).map((d) => unconfiguredLineView(d.state));
  const byId = (a: LineView, b: LineView): number => a.id.localeCompare(b.id, 'en', { numeric: true });
  return [...lines.map((l) => l.view()).sort(byId), ...spare.sort(byId)];
}
