/**
 * Device states, as the operator sees them on a line.
 *
 *   detected --adb says unauthorized--> unauthorized --user allows debugging--> preparing
 *      |     --adb says offline-------> offline      --adb says device------> preparing
 *      \--adb says device--> preparing --props read, agent present--> forwarding --hello+info--> ready
 *                               ^  \--agent missing: push + start--/      |                      |
 *                               |                                       failed <--link lost------/
 *                               \------------- retry with backoff ------/
 *   any state --gone from adb--> lost --back in adb--> detected
 *
 * `failed` carries its reason (agent not built, version mismatch, no answer) and is retried with
 * backoff while the phone stays connected.
 */
export const DEVICE_STATES = [
  'detected',
  'unauthorized',
  'offline',
  'preparing',
  'forwarding',
  'ready',
  'failed',
  'lost',
] as const;

export type DeviceState = (typeof DEVICE_STATES)[number];

/** The adb server's own word for a device (`adb devices`), as adbkit reports it. */
export type AdbDeviceType = 'device' | 'emulator' | 'offline' | 'unauthorized' | 'unknown';

/** What the phone says of itself through `getprop`. */
export interface DeviceProps {
  serialNo: string;
  manufacturer: string;
  model: string;
  androidVersion: string;
  sdk: number;
  /** A virtual phone of the simulator (property ro.sip2wa.virtual=1). */
  virtual: boolean;
}
