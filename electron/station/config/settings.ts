/**
 * The settings page edits the whole configuration, but never sees a password: settings.get masks them
 * and a mask sent back means "keep this line's password". A new line must be given its password.
 */
import { z } from 'zod';
import { ConfigError, REDACTED, issuesOf, redactConfig, validateConfig } from './config-file';
import { lineSchema, pbxSchema, type PbxConfig, type StationConfig } from './schema';

export { redactConfig };

/** The edited document with each masked password replaced by the current one of the same line id. */
export function restoreMaskedPasswords(doc: unknown, current: StationConfig): unknown {
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { lines?: unknown }).lines)) return doc;
  const known = new Map(current.lines.map((l) => [l.id, l.password]));
  const lines = (doc as { lines: unknown[] }).lines.map((line, i) => {
    if (typeof line !== 'object' || line === null) return line;
    const l = line as { id?: unknown; password?: unknown };
    if (l.password !== REDACTED) return line;
    const password = typeof l.id === 'string' ? known.get(l.id) : undefined;
    if (password === undefined) throw new ConfigError('settings', [{ path: `lines[${i}].password`, message: 'enter the password of this new line' }]);
    return { ...l, password };
  });
  return { ...(doc as object), lines };
}

/** Validates an edited document against the current configuration: masks restored, then the schema. */
export function validateSettings(doc: unknown, current: StationConfig): StationConfig {
  return validateConfig(restoreMaskedPasswords(doc, current), 'settings');
}

/** The account part of a line, as a registration test needs it (the line's other fields are ignored). */
const probeLineSchema = z.object({ id: z.string().optional(), user: lineSchema.shape.user, authUser: lineSchema.shape.authUser, password: lineSchema.shape.password });

/**
 * The PBX and line of a registration test, from the settings draft (not yet saved): validated with
 * the configuration's own rules, a masked password replaced by the stored one of the same line id.
 * Throws ConfigError naming the field (`pbx.host`, `line.password`).
 */
export function probeDraft(pbx: unknown, line: unknown, current: StationConfig): { pbx: PbxConfig; line?: { user: string; authUser?: string; password: string } } {
  const p = pbxSchema.safeParse(pbx);
  if (!p.success) throw new ConfigError('registration test', issuesOf(p.error).map((i) => ({ ...i, path: `pbx${i.path ? `.${i.path}` : ''}` })));
  if (line === undefined || line === null) return { pbx: p.data };
  const l = probeLineSchema.safeParse(line);
  if (!l.success) throw new ConfigError('registration test', issuesOf(l.error).map((i) => ({ ...i, path: `line${i.path ? `.${i.path}` : ''}` })));
  let password = l.data.password;
  if (password === REDACTED) {
    const stored = current.lines.find((c) => c.id === l.data.id)?.password;
    if (stored === undefined) throw new ConfigError('registration test', [{ path: 'line.password', message: 'enter the password of this new line' }]);
    password = stored;
  }
  return { pbx: p.data, line: { user: l.data.user, authUser: l.data.authUser, password } };
}
