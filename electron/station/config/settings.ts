/**
 * The settings page edits the whole configuration, but never sees a password: settings.get masks them
 * and a mask sent back means "keep this line's password". A new line must be given its password.
 */
import { z } from 'zod';
import { ConfigError, REDACTED, issuesOf, redactConfig, validateConfig } from './config-file';
import { lineSchema, pbxSchema, type PbxConfig, type StationConfig } from './schema';

export { redactConfig };

/** The items of `list` with a masked `key` replaced by the current value of the item with the same id. */
function restoreList(list: unknown, path: string, key: string, known: Map<string, string>, ask: string): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((item, i) => {
    if (typeof item !== 'object' || item === null) return item;
    const it = item as { id?: unknown } & Record<string, unknown>;
    if (it[key] !== REDACTED) return item;
    const value = typeof it.id === 'string' ? known.get(it.id) : undefined;
    if (value === undefined) throw new ConfigError('settings', [{ path: `${path}[${i}].${key}`, message: ask }]);
    return { ...it, [key]: value };
  });
}

/**
 * The edited document with each masked secret replaced by the current one: a line's password and a
 * webhook receiver's secret by the same id, the SMTP password by the current one.
 */
export function restoreMaskedPasswords(doc: unknown, current: StationConfig): unknown {
  if (typeof doc !== 'object' || doc === null) return doc;
  const d = { ...(doc as Record<string, unknown>) };
  if (Array.isArray(d.lines)) {
    d.lines = restoreList(d.lines, 'lines', 'password', new Map(current.lines.map((l) => [l.id, l.password])), 'enter the password of this new line');
  }
  const webhooks = d.webhooks as { receivers?: unknown } | undefined;
  if (typeof webhooks === 'object' && webhooks !== null && Array.isArray(webhooks.receivers)) {
    const known = new Map(current.webhooks.receivers.map((r) => [r.id, r.secret]));
    d.webhooks = { ...webhooks, receivers: restoreList(webhooks.receivers, 'webhooks.receivers', 'secret', known, 'enter the secret of this new receiver') };
  }
  const email = d.email as { password?: unknown } | undefined;
  if (typeof email === 'object' && email !== null && email.password === REDACTED) {
    if (current.email?.password === undefined) throw new ConfigError('settings', [{ path: 'email.password', message: 'enter the SMTP password' }]);
    d.email = { ...email, password: current.email.password };
  }
  return d;
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
