/**
 * What a virtual phone is, as the station can observe it: its Android properties (through `getprop`),
 * its battery (through `dumpsys battery`) and what the agent reports in its info message. One mutable
 * object per virtual phone, shared by the adb device side and the simulated agent, so a test that
 * changes the battery level sees it through both paths.
 */
export type NetworkType = 'none' | 'wifi' | 'cellular' | 'ethernet' | 'unknown';

export interface VirtualDeviceInfo {
  /** The serial number the phone reports (`ro.serialno`). */
  serialNo: string;
  manufacturer: string;
  model: string;
  androidVersion: string;
  sdk: number;
  /** The phone's WhatsApp account number, international digits without "+". */
  account: string;
  whatsappVersion: string;
  batteryLevel: number;
  charging: boolean;
  /** Battery temperature in tenths of a degree Celsius, as Android reports it. */
  temperatureDeciC: number;
  networkType: NetworkType;
  /** Signal strength in bars, 0-4. */
  signalLevel: number;
}
