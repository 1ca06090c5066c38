/**
 * Loading and saving the configuration document.
 *
 * A bad file is refused as a whole with every problem listed by field path and reason; saving
 * validates first and replaces the file atomically (write a temporary file, then rename), so a bad
 * document never replaces a good one and a crash mid-write leaves the old file intact.
 *
 * Passwords go through a SecretCodec (secrets.ts): the desktop app seals them on save and opens them on
 * load; without a codec they are stored as written and a sealed one is refused, naming the field.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { z } from 'zod';
import { jsonErrorPlace } from './json-error';
import { configSchema, type StationConfig } from './schema';
import { openSecrets, plainCodec, sealSecrets, SecretError, type SecretCodec } from './secrets';

export interface ConfigIssue {
  /** The field path, e.g. `lines[2].codecs[0]`. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`${source}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'ConfigError';
  }
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** Each zod issue as a field path and a reason. */
export function issuesOf(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required';
    return { path: formatPath(issue.path), message };
  });
}

/** Validates a parsed document; throws ConfigError naming every bad field. */
export function validateConfig(doc: unknown, source = 'configuration'): StationConfig {
  const result = configSchema.safeParse(doc);
  if (!result.success) throw new ConfigError(source, issuesOf(result.error));
  return result.data;
}

export async function loadConfig(file: string, codec: SecretCodec = plainCodec): Promise<StationConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [{ path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read: ${code}` }]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const place = jsonErrorPlace(text);
    const where = place ? `line ${place.line}, column ${place.column}: expected ${place.expected}, found ${place.found}` : (err as Error).message;
    throw new ConfigError(file, [{ path: '', message: `not valid JSON at ${where}` }]);
  }
  try {
    doc = openSecrets(doc, codec);
  } catch (err) {
    if (!(err instanceof SecretError)) throw err;
    throw new ConfigError(file, [{ path: err.path, message: err.reason }]);
  }
  return validateConfig(doc, file);
}

/** Validates, seals the passwords with the codec (none: as written) and replaces the file; returns the plain configuration. */
export async function saveConfig(file: string, config: unknown, codec: SecretCodec = plainCodec): Promise<StationConfig> {
  const valid = validateConfig(config, file);
  // Sealing happens before the temporary file exists: a codec that refuses leaves no plaintext behind.
  const stored = sealSecrets(valid, codec);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, file);
  return valid;
}

/** What stands in for a password wherever the configuration is shown. */
export const REDACTED = '********';

/** The configuration with every password and webhook secret replaced, for logs and for anything shown to a user. */
export function redactConfig(config: StationConfig): StationConfig {
  return {
    ...config,
    lines: config.lines.map((l) => ({ ...l, password: REDACTED })),
    webhooks: { ...config.webhooks, receivers: config.webhooks.receivers.map((r) => ({ ...r, secret: REDACTED })) },
    ...(config.email ? { email: { ...config.email, ...(config.email.password ? { password: REDACTED } : {}) } } : {}),
  };
}
