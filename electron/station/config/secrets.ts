/**
 * SIP passwords at rest. The configuration file may hold a password sealed by the platform's secret
 * store (`"password": "enc:v1:<base64>"`) instead of in plain text. The core only knows the sealed
 * form and a codec interface; the desktop app supplies a codec backed by Electron's safeStorage, serve
 * mode uses the plain one.
 *
 * Reading is lenient in one direction only: a plain password is accepted by every codec (a file
 * written by serve mode or by hand migrates to the sealed form on the next save), but a sealed one can
 * only be opened by a codec that can decrypt it; anything else is refused with the field named, since
 * using "enc:v1:..." as a password would get the extension locked out by the PBX.
 */

export interface SecretCodec {
  /** Turns a plain secret into what the file stores. */
  seal(plain: string): string;
  /** Turns a sealed value (`enc:v1:...`) back into the secret; throws when it cannot. */
  open(sealed: string): string;
  /** Whether `seal` encrypts, for the settings page ("stored encrypted" or not). */
  readonly kind: 'encrypted' | 'plain';
}

export const SEALED_PREFIX = 'enc:v1:';

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** A secret that cannot be opened or sealed; the message says which field and why. */
export class SecretError extends Error {
  constructor(
    readonly reason: string,
    /** The field, e.g. `lines[0].password`; empty until the codec's caller knows it. */
    readonly path = '',
  ) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'SecretError';
  }
}

/** Serve mode and tests: stores secrets as they are, and refuses sealed ones it cannot open. */
export const plainCodec: SecretCodec = {
  kind: 'plain',
  seal: (plain) => plain,
  open: (stored) => {
    if (isSealed(stored)) {
      throw new SecretError(`is encrypted (${SEALED_PREFIX}...) by the desktop app's secret store and cannot be opened here; write the password in plain text or run the desktop app`);
    }
    return stored;
  },
};

/** The sealed form around bytes an encrypting codec produced. */
export function sealedFromBytes(bytes: Uint8Array): string {
  return SEALED_PREFIX + Buffer.from(bytes).toString('base64');
}

/** The bytes inside a sealed value; throws when the value is not one. */
export function bytesFromSealed(sealed: string): Buffer {
  if (!isSealed(sealed)) throw new SecretError(`is not in the sealed form (${SEALED_PREFIX}...)`);
  const b64 = sealed.slice(SEALED_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new SecretError('is damaged: the sealed value is not base64');
  return Buffer.from(b64, 'base64');
}

type Doc = Record<string, unknown>;

/**
 * Every secret field of a configuration document, as [path, holder, key]: line passwords, webhook
 * secrets and the SMTP password. A new secret field is added here and is then sealed and opened everywhere.
 */
function secretFields(doc: unknown): [string, Doc, string][] {
  const out: [string, Doc, string][] = [];
  if (typeof doc !== 'object' || doc === null) return out;
  const each = (list: unknown, path: string, key: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      if (typeof item === 'object' && item !== null && typeof (item as Doc)[key] === 'string') out.push([`${path}[${i}].${key}`, item as Doc, key]);
    });
  };
  each((doc as Doc).lines, 'lines', 'password');
  const webhooks = (doc as Doc).webhooks;
  if (typeof webhooks === 'object' && webhooks !== null) each((webhooks as Doc).receivers, 'webhooks.receivers', 'secret');
  const email = (doc as Doc).email;
  if (typeof email === 'object' && email !== null && typeof (email as Doc).password === 'string') out.push(['email.password', email as Doc, 'password']);
  return out;
}

function mapSecrets<T>(doc: T, fn: (value: string, path: string) => string): T {
  const copy = structuredClone(doc);
  for (const [path, holder, key] of secretFields(copy)) {
    try {
      holder[key] = fn(holder[key] as string, path);
    } catch (err) {
      throw new SecretError(err instanceof SecretError ? err.reason : (err as Error).message, path);
    }
  }
  return copy;
}

/** A copy of the document with every password sealed by the codec (a sealed one stays as it is). */
export function sealSecrets<T>(doc: T, codec: SecretCodec): T {
  return mapSecrets(doc, (value) => (isSealed(value) ? value : codec.seal(value)));
}

/** A copy of the document with every sealed password opened; plain ones pass through (migration). */
export function openSecrets<T>(doc: T, codec: SecretCodec): T {
  return mapSecrets(doc, (value) => (isSealed(value) ? codec.open(value) : value));
}

/** Whether the document still holds a password in plain text (so the desktop app re-saves it sealed). */
export function hasPlainSecrets(doc: unknown): boolean {
  return secretFields(doc).some(([, holder, key]) => !isSealed(holder[key] as string));
}
