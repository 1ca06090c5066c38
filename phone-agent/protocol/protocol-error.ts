/**
 * The one error the codec throws. Its code says which rule the bytes broke, so the link can log it and the
 * shared test vectors can name it; its message says what and why ("frame type 0x7e is unknown").
 * Every code closes the link: after garbage, the frame boundaries can no longer be trusted.
 */
export const PROTOCOL_ERROR_CODES = [
  'unknown-type',
  'bad-length',
  'oversize',
  'truncated',
  'bad-magic',
  'bad-field',
  'bad-flags',
] as const;

export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isProtocolErrorCode(value: unknown): value is ProtocolErrorCode {
  return typeof value === 'string' && (PROTOCOL_ERROR_CODES as readonly string[]).includes(value);
}
