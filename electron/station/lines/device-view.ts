/** A phone as a line's card shows it: the device supervisor's snapshot, with times as ISO strings. */
import type { LineDeviceView } from '../api/types';
import type { DeviceSnapshot } from '../devices/device-supervisor';

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
