/**
 * The committed allow-lists of the agent's link check: one line per outside type or member the dex refers
 * to, with the API level it needs and, where that level is above the agent's minimum or the reference is
 * not public API, why it is safe (`ref<TAB>level<TAB>note`). `android.txt` covers android.*,
 * `java.txt` java.* and javax.* (checked against the library of Android 10, API 29).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The agent's minimum: Android 10 (`d8 --min-api 29`). */
export const MIN_API = 29;

export const ANDROID_LIST = fileURLToPath(new URL('./android.txt', import.meta.url));
export const JAVA_LIST = fileURLToPath(new URL('./java.txt', import.meta.url));

export interface AllowEntry {
  ref: string;
  /** The API level it needs; `hidden` when it is not public API. */
  level: number | 'hidden';
  note: string;
}

export function readAllowList(path: string): Map<string, AllowEntry> {
  const out = new Map<string, AllowEntry>();
  for (const [i, line] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [ref, level, note = ''] = line.split('\t');
    if (!ref || !level) throw new Error(`${path}:${i + 1}: expected "ref<TAB>level[<TAB>note]"`);
    out.set(ref, { ref, level: level === 'hidden' ? 'hidden' : Number(level), note });
  }
  return out;
}

export function writeAllowList(path: string, header: string, entries: AllowEntry[]): void {
  const lines = [...entries]
    .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))
    .map((e) => [e.ref, String(e.level), e.note].filter((x, i) => i < 2 || x !== '').join('\t'));
  writeFileSync(path, `${header
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n')}\n${lines.join('\n')}\n`);
}

/** Why an entry is acceptable, or the problem with it. */
export function entryProblem(e: AllowEntry): string | null {
  if (e.level === 'hidden') return e.note ? null : `${e.ref} is not public API and has no note saying why it is safe`;
  if (!Number.isFinite(e.level)) return `${e.ref} has no API level`;
  if (e.level > MIN_API && !e.note) return `${e.ref} needs API ${e.level}, above the minimum ${MIN_API}, and has no note saying how it is guarded`;
  return null;
}
