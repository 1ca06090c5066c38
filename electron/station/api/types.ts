/**
 * The station's read model as the API serves it: one object per line. Declared once here; the HTTP
 * server, the future WebSocket and IPC adapters and the console all use these types.
 */
import type { CallView } from '../calls/call-state';
import type { CallStats } from '../calllog/call-stats';
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
  /** The SIP extension, PBX id and hunting group; null for a phone no line claims. */
  sip: { user: string; pbx: string; group: string | null; enabled: boolean } | null;
  /** Today's figures (local day) against the line's anti-ban caps (null cap = no limit). */
  today: LineToday | null;
}

export interface LineToday extends CallStats {
  caps: { uniquePerHour: number | null; uniquePerDay: number | null };
  /** Distinct numbers in the last hour. */
  uniqueLastHour: number;
}

export interface StationInfo {
  version: string;
  /** Started with --demo: virtual phones and simulated contacts. */
  demo: boolean;
  /** Demo contacts the operator can test-dial (number, name, behaviour). */
  demoContacts: { number: string; name: string; behaviour: string }[];
  pbxConfigured: boolean;
  /** Whether test dial has the PC's sound devices, and why not. */
  audio: { available: boolean; reason: string | null };
  /** The number line.echoTest calls when none is given; null when not configured. */
  echoNumber: string | null;
}

/** One entry of the events panel. */
export interface StationLogEntry {
  id: number;
  at: string;
  level: 'info' | 'warn' | 'error';
  /** registration, device, agent, rule, call, config, audio */
  kind: 'registration' | 'device' | 'agent' | 'rule' | 'call' | 'config' | 'audio';
  lineId: string | null;
  message: string;
}

export interface EchoTestResult {
  ok: boolean;
  lineId: string;
  number: string;
  /** Time from sending the test signal to hearing it back. */
  roundTripMs: number | null;
  /** Correlation of what came back with what was sent, 0..1. */
  correlation: number | null;
  levelDbfs: number | null;
  message: string;
}

export interface AudioDevice {
  id: number;
  name: string;
  hostApi: string;
  inputs: number;
  outputs: number;
  defaultSampleRate: number;
}

/** The operator's test call from the headset. */
export interface TestDialView {
  lineId: string;
  number: string;
  callId: string;
  state: CallView['state'];
  muted: boolean;
  startedAt: string;
  answeredAt: string | null;
  /** Headset levels in dBFS: mic (to the phone) and speaker (from the phone). */
  levelMicDbfs: number | null;
  levelSpeakerDbfs: number | null;
  /** Why the headset is not used (no sound device): the call then carries silence. */
  audioProblem: string | null;
  outcome: string | null;
}
