/**
 * The PC's sound devices through naudiodon (PortAudio), loaded lazily: a machine without the addon
 * (or without libasound) still runs the station, test dial then says why it has no headset. Loading
 * late also lets the process set PULSE_SERVER and friends before PortAudio first looks for devices.
 */
import { createRequire } from 'node:module';
import type * as NaudiodonModule from 'naudiodon';

export type Naudiodon = typeof NaudiodonModule;

/** One of the PC's sound devices, as PortAudio lists it (the settings' headset choice names it). */
export interface AudioDevice {
  id: number;
  name: string;
  hostApi: string;
  inputs: number;
  outputs: number;
  defaultSampleRate: number;
}

let loaded: { mod: Naudiodon } | { error: string } | null = null;

/** The addon, or an Error saying why it cannot be used. */
export function loadNaudiodon(): Naudiodon {
  if (!loaded) {
    try {
      const require = createRequire(import.meta.url);
      loaded = { mod: require('naudiodon') as Naudiodon };
    } catch (err) {
      // The first line is enough: the rest is the module resolution stack.
      loaded = { error: `the sound library (naudiodon) cannot be loaded: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  if ('error' in loaded) throw new Error(loaded.error);
  return loaded.mod;
}

/**
 * Whether the sound library is installed, without loading it: loading starts PortAudio's device scan
 * (and its crash handler), which a station that never test-dials does not need.
 */
export function localAudioInstalled(): { available: boolean; reason: string | null } {
  if (loaded) return 'error' in loaded ? { available: false, reason: loaded.error } : { available: true, reason: null };
  try {
    createRequire(import.meta.url).resolve('naudiodon');
    return { available: true, reason: null };
  } catch {
    return { available: false, reason: 'the sound library (naudiodon) is not installed' };
  }
}

/** Every device PortAudio sees, as the settings page lists them. */
export function listAudioDevices(): AudioDevice[] {
  const na = loadNaudiodon();
  return na.getDevices().map((d) => ({
    id: d.id,
    name: d.name,
    hostApi: d.hostAPIName,
    inputs: d.maxInputChannels,
    outputs: d.maxOutputChannels,
    defaultSampleRate: d.defaultSampleRate,
  }));
}

/** Whether a headset can be opened at all, and if not, why (shown in StationInfo.audio). */
export function localAudioStatus(): { available: boolean; reason: string | null } {
  let devices: AudioDevice[];
  try {
    devices = listAudioDevices();
  } catch (err) {
    return { available: false, reason: (err as Error).message };
  }
  if (!devices.some((d) => d.inputs > 0)) return { available: false, reason: 'no sound input device (microphone) found' };
  if (!devices.some((d) => d.outputs > 0)) return { available: false, reason: 'no sound output device (speaker) found' };
  return { available: true, reason: null };
}

/**
 * The device to open for one direction: the one named (exact name, else the only one whose name
 * contains it), or PortAudio's default (-1) when no name is given.
 */
export function pickDevice(devices: readonly AudioDevice[], name: string | undefined, kind: 'input' | 'output'): { id: number; name: string } {
  if (!name) return { id: -1, name: `default ${kind}` };
  const usable = devices.filter((d) => (kind === 'input' ? d.inputs : d.outputs) > 0);
  const exact = usable.find((d) => d.name === name);
  if (exact) return { id: exact.id, name: exact.name };
  const partial = usable.filter((d) => d.name.toLowerCase().includes(name.toLowerCase()));
  if (partial.length === 1) return { id: partial[0]!.id, name: partial[0]!.name };
  const list = usable.map((d) => `"${d.name}"`).join(', ') || 'none';
  if (partial.length > 1) throw new Error(`headset ${kind} "${name}" matches several devices (${partial.map((d) => `"${d.name}"`).join(', ')}): name one exactly`);
  throw new Error(`headset ${kind} "${name}" is not connected (${kind} devices: ${list})`);
}
