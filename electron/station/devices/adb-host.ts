/**
 * The station's side of the adb server: starting it, and the host services adbkit does not cover
 * (forwards with an allocated port, removing one forward).
 *
 * Host requests are the smart-socket protocol of the adb server: a 4-hex-digit length, the request,
 * then `OKAY` or `FAIL` + 4-hex length + message. Every tunnel to every phone goes through this one
 * server; when it dies (`adb kill-server`, a crash) every forward is gone and must be made again.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface AdbServerAddress {
  host: string;
  port: number;
  /** The adb binary used to start the server when none runs. */
  bin: string;
}

export const DEFAULT_ADB: AdbServerAddress = {
  host: '127.0.0.1',
  port: Number(process.env.ANDROID_ADB_SERVER_PORT ?? 5037),
  bin: 'adb',
};

export class AdbHostError extends Error {
  constructor(
    readonly request: string,
    reason: string,
  ) {
    super(`adb server refused '${request}': ${reason}`);
    this.name = 'AdbHostError';
  }
}

/** Starts the adb server if none answers on the address (idempotent, like `adb start-server`). */
export async function startAdbServer(adb: AdbServerAddress): Promise<void> {
  if (await isAdbServerUp(adb)) return;
  try {
    await run(adb.bin, ['-P', String(adb.port), 'start-server'], { timeout: 15_000 });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `'${adb.bin}' is not installed` : String(err);
    throw new Error(`cannot start the adb server on port ${adb.port}: ${reason}`);
  }
}

export function isAdbServerUp(adb: AdbServerAddress): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: adb.host, port: adb.port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Reads exactly `n` bytes, or rejects when the stream ends first. */
class ByteReader {
  private buffered = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private ended = false;

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiter?.();
    });
    const finish = (): void => {
      this.ended = true;
      this.waiter?.();
    };
    socket.on('end', finish);
    socket.on('close', finish);
  }

  async read(n: number): Promise<Buffer> {
    while (this.buffered.length < n) {
      if (this.ended) throw new Error(`connection closed after ${this.buffered.length} of ${n} bytes`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }
}

async function readStatus(reader: ByteReader, request: string): Promise<void> {
  const status = (await reader.read(4)).toString('latin1');
  if (status === 'OKAY') return;
  if (status === 'FAIL') {
    const len = parseInt((await reader.read(4)).toString('latin1'), 16);
    throw new AdbHostError(request, (await reader.read(len)).toString('utf8'));
  }
  throw new AdbHostError(request, `unexpected reply '${status}'`);
}

/**
 * Sends one host request and returns the reader positioned after its first OKAY.
 * The caller reads whatever the service sends next, then closes the socket.
 */
async function hostRequest<T>(
  adb: AdbServerAddress,
  request: string,
  body: (reader: ByteReader) => Promise<T>,
): Promise<T> {
  const socket = net.connect({ host: adb.host, port: adb.port });
  socket.setTimeout(10_000, () => socket.destroy(new Error('adb server did not answer within 10 s')));
  try {
    const reader = new ByteReader(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const payload = Buffer.from(request, 'utf8');
    socket.write(payload.length.toString(16).padStart(4, '0') + request);
    await readStatus(reader, request);
    return await body(reader);
  } catch (err) {
    if (err instanceof AdbHostError) throw err;
    throw new AdbHostError(request, (err as Error).message);
  } finally {
    socket.destroy();
  }
}

/**
 * `adb forward tcp:0 REMOTE` for one device; returns the local port the server allocated.
 * The server answers OKAY (request taken), OKAY (forward made), then the port as a length-prefixed string.
 */
export function forwardToDevice(adb: AdbServerAddress, serial: string, remote: string): Promise<number> {
  const request = `host-serial:${serial}:forward:tcp:0;${remote}`;
  return hostRequest(adb, request, async (reader) => {
    await readStatus(reader, request);
    const len = parseInt((await reader.read(4)).toString('latin1'), 16);
    const port = Number((await reader.read(len)).toString('latin1'));
    if (!Number.isInteger(port) || port <= 0) throw new AdbHostError(request, `no port in the reply`);
    return port;
  });
}

/**
 * `adb forward --remove tcp:PORT`. A forward that is already gone is not an error: adb drops a device's
 * forwards when the device goes (it answers FAIL with no message), and all of them when the server dies.
 */
export async function removeForward(adb: AdbServerAddress, serial: string, port: number): Promise<void> {
  const request = `host-serial:${serial}:killforward:tcp:${port}`;
  try {
    await hostRequest(adb, request, (reader) => readStatus(reader, request));
  } catch (err) {
    const gone = /: $|not found|no such|cannot find|unknown|ECONNREFUSED|connection closed/i;
    if (err instanceof AdbHostError && gone.test(err.message)) return;
    throw err;
  }
}

/** `adb connect HOST:PORT` through the server; used to bring back network-attached phones. */
export function connectNetworkDevice(adb: AdbServerAddress, address: string): Promise<string> {
  const request = `host:connect:${address}`;
  return hostRequest(adb, request, async (reader) => {
    const len = parseInt((await reader.read(4)).toString('latin1'), 16);
    return (await reader.read(len)).toString('utf8');
  });
}
