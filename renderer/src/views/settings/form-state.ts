/**
 * The settings draft: a copy of the configuration edited in place by path, and the station's refusal
 * split into per-field messages (it names fields as `pbx[0].port: must be 1-65535; lines[1].user: ...`).
 */
import { createContext, useContext } from 'react';
import type { StationConfig } from '../../../../electron/station/config/schema';

export type Path = (string | number)[];

/** `['pbx', 0, 'port']` -> `pbx[0].port`, the station's spelling of a field. */
export function formatPath(path: Path): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '');
}

export function getIn(obj: unknown, path: Path): unknown {
  return path.reduce<unknown>((o, k) => (o === null || o === undefined ? undefined : (o as Record<string | number, unknown>)[k]), obj);
}

/** A copy of `obj` with the value at `path` replaced (undefined removes the key); parents are created. */
export function setIn<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string | number, ...Path];
  const base = (obj ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown> | unknown[];
  const copy = (Array.isArray(base) ? [...base] : { ...base }) as Record<string | number, unknown>;
  const next = setIn(copy[head], rest, value);
  if (next === undefined && !Array.isArray(copy)) delete copy[head];
  else copy[head] = next;
  return copy as T;
}

const PATH_SHAPE = /^[A-Za-z][\w-]*(?:\[\d+\]|\.[\w-]+)*$/;

/**
 * The field paths named in a refusal, each with its reason. The message may carry prefixes
 * ("failed: settings: pbx[0].port: must be 1-65535"), so in each "; "-separated part the last
 * path-shaped word before ": " is the field and the rest is the reason.
 */
export function fieldErrors(message: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!message) return out;
  for (const part of message.split(/;\s+/)) {
    const tokens = part.split(': ');
    for (let i = tokens.length - 2; i >= 0; i--) {
      if (!PATH_SHAPE.test(tokens[i]!.trim())) continue;
      const path = tokens[i]!.trim();
      if (!out.has(path)) out.set(path, tokens.slice(i + 1).join(': ').trim());
      break;
    }
  }
  return out;
}

export interface SettingsForm {
  draft: StationConfig;
  set(path: Path, value: unknown): void;
  errors: Map<string, string>;
}

export const SettingsFormContext = createContext<SettingsForm | null>(null);

export function useSettingsForm(): SettingsForm {
  const f = useContext(SettingsFormContext);
  if (!f) throw new Error('settings fields need the settings form above them');
  return f;
}

/** The field's value, a setter, and the station's complaint about it. */
export function useField<T>(path: Path): { value: T; set: (v: unknown) => void; error: string | undefined; id: string } {
  const f = useSettingsForm();
  const name = formatPath(path);
  return { value: getIn(f.draft, path) as T, set: (v) => f.set(path, v), error: f.errors.get(name) ?? [...f.errors].find(([k]) => k.startsWith(`${name}[`))?.[1], id: `f-${name.replace(/[^\w-]/g, '_')}` };
}
