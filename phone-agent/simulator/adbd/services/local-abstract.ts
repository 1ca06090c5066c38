/**
 * `localabstract:NAME`: a connection to the abstract Unix socket @NAME on the phone. This is what
 * `adb forward tcp:N localabstract:NAME` opens for every TCP client of the forward.
 */
import type { AbstractSockets } from '../abstract-sockets';
import type { StreamHandler } from '../device-connection';

/** Null when nothing listens: adbd then answers CLSE, and the forward's TCP client sees connect-then-close. */
export function localAbstractService(name: string, sockets: AbstractSockets): StreamHandler | null {
  const listener = sockets.lookup(name);
  return listener ? (stream) => listener(stream) : null;
}
