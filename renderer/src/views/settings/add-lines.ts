/**
 * "Add lines for all phones": one line for every phone the station sees without a line, in grid
 * order, with extensions counted up from the first one and passwords from a pattern (`pw{ext}`) or
 * a list (one per phone). Pure, so the preview the operator reads is what gets added to the draft.
 */
import type { LineConfig, StationConfig } from '../../../../electron/station/config/schema';
import { CODEC_NAMES, type CodecName } from '../../../../electron/station/values';

export interface AddLinesForm {
  pbx: string;
  /** The first phone's extension; the next phones count up from it (digits). */
  firstExtension: string;
  passwordMode: 'pattern' | 'list';
  /** `{ext}` is the phone's extension, `{n}` its number in this batch (1, 2...). */
  passwordPattern: string;
  /** One password per line of text, in grid order. */
  passwordList: string;
  codecs: string;
  group: string;
}

export const ADD_LINES_DEFAULTS: Omit<AddLinesForm, 'pbx'> = {
  firstExtension: '2001',
  passwordMode: 'pattern',
  passwordPattern: 'pw{ext}',
  passwordList: '',
  codecs: CODEC_NAMES.join(', '),
  group: '',
};

export type AddLinesField = keyof AddLinesForm;

export type AddLinesPlan = { ok: true; lines: LineConfig[] } | { ok: false; errors: Partial<Record<AddLinesField, string>> };

const GROUP = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The lines to add for `serials` (phones without a line, grid order), or what is wrong, by field. */
export function planLines(form: AddLinesForm, serials: readonly string[], draft: Pick<StationConfig, 'lines' | 'pbx'>): AddLinesPlan {
  const errors: Partial<Record<AddLinesField, string>> = {};
  const configured = new Set(draft.lines.map((l) => l.serial));
  const phones = serials.filter((s) => !configured.has(s));
  if (!draft.pbx.some((p) => p.id === form.pbx)) errors.pbx = draft.pbx.length ? `no PBX has the id "${form.pbx}"` : 'add your PBX first';
  const first = form.firstExtension.trim();
  if (!/^\d{1,15}$/.test(first)) errors.firstExtension = 'must be digits, like 2001';
  const codecs = form.codecs
    .split(/[\s,]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  const unknown = codecs.filter((c) => !(CODEC_NAMES as readonly string[]).includes(c));
  if (codecs.length === 0) errors.codecs = 'must list at least one codec';
  else if (unknown.length) errors.codecs = `${unknown.join(', ')}: must be one of ${CODEC_NAMES.join(', ')}`;
  const group = form.group.trim();
  if (group && !GROUP.test(group)) errors.group = 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit';
  const list = form.passwordList.split('\n').map((p) => p.trim()).filter(Boolean);
  if (form.passwordMode === 'pattern' && form.passwordPattern.trim() === '') errors.passwordPattern = 'must not be empty (for example pw{ext})';
  if (form.passwordMode === 'list' && list.length < phones.length) errors.passwordList = `${list.length} password${list.length === 1 ? '' : 's'} for ${phones.length} phones: one per line, in grid order`;
  if (phones.length === 0) errors.firstExtension ??= 'every phone the station sees has a line already';
  if (errors.firstExtension === undefined && errors.pbx === undefined) {
    const used = new Map(draft.lines.filter((l) => l.pbx === form.pbx).map((l) => [l.user, l.id]));
    const width = first.length;
    for (let i = 0; i < phones.length; i++) {
      const ext = extension(first, i, width);
      if (used.has(ext)) {
        errors.firstExtension = `extension ${ext} is line ${used.get(ext)}'s already: start after it`;
        break;
      }
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const ids = new Set(draft.lines.map((l) => l.id));
  let next = 1;
  const lines = phones.map((serial, i) => {
    while (ids.has(`wa${next}`)) next++;
    const id = `wa${next}`;
    ids.add(id);
    const user = extension(first, i, first.length);
    const password = form.passwordMode === 'list' ? list[i]! : form.passwordPattern.replaceAll('{ext}', user).replaceAll('{n}', String(i + 1));
    const line: LineConfig = { id, serial, pbx: form.pbx, user, password, codecs: codecs as CodecName[], enabled: true };
    if (group) line.group = group;
    return line;
  });
  return { ok: true, lines };
}

/** The i-th extension after `first`, keeping its leading zeros ("0701" -> "0702"). */
function extension(first: string, i: number, width: number): string {
  return (BigInt(first) + BigInt(i)).toString().padStart(width, '0');
}
