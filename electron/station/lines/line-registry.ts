/**
 * Lines: one per phone. Until SIP accounts are configured a line is its device alone, named by the
 * device serial, with registration `disabled`.
 */
import type { LineView } from '../api/types';
import type { DeviceManager } from '../devices/device-manager';
import type { DeviceSnapshot } from '../devices/device-supervisor';

export function lineView(snap: DeviceSnapshot): LineView {
  return {
    id: snap.serial,
    device: {
      serial: snap.serial,
      state: snap.state,
      detail: snap.detail,
      since: new Date(snap.since).toISOString(),
      lastError: snap.lastError && { message: snap.lastError.message, at: new Date(snap.lastError.at).toISOString() },
      props: snap.props,
      pingRttMs: snap.pingRttMs,
    },
    agent: snap.state === 'ready' ? snap.agent : null,
    registration: { state: 'disabled', reason: 'no SIP account configured' },
    call: null,
  };
}

export function listLines(devices: DeviceManager): LineView[] {
  return devices.devices.map((d) => lineView(d.state)).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}
