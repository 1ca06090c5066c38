/**
 * The settings page edits the whole configuration, but never sees a password: settings.get masks them
 * and a mask sent back means "keep this line's password". A new line must be given its password.
 */
import { ConfigError, REDACTED, redactConfig, validateConfig } from './config-file';
import type { StationConfig } from './schema';

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
