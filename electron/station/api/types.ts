/**
 * The station's read model as the API serves it: one object per line. Declared once here; the HTTP
 * server, the future WebSocket and IPC adapters and the console all use these types.
 */
import type { CallView } from '../calls/call-state';
import type { AgentInfo } from '../devices/agent-link';
import type { DeviceProps, DeviceState } from '../devices/device-state';
import type { LineState } from '../lines/line-state';

export interface LineDeviceView {
  serial: string;
  state: DeviceState;
  detail: string;
  since: string;
  lastError: { message: string; at: string } | null;
  props: DeviceProps | null;
  pingRttMs: number | null;
}

export interface LineView {
  id: string;
  /** Null while the line's phone has never been seen by adb. */
  device: LineDeviceView | null;
  agent: AgentInfo | null;
  registration: { state: LineState; reason: string; code: number | null };
  call: CallView | null;
}
