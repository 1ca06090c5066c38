/**
 * The real adb command line, driven from the simulator: start a server on a chosen port, `adb connect`
 * a virtual phone and wait until it is online, `adb disconnect` it. Every call names the server port
 * (`-P`), so tests and farms never touch someone else's adb server.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';

/** The adb binary; ADB overrides it (for an SDK install elsewhere). */
export const ADB_BINARY = process.env.ADB ?? 'adb';
export const DEFAULT_ADB_PORT = 5037;

export interface AdbDeviceEntry {
  serial: string;
  /** device, offline, unauthorized, ... */
  state: string;
}

export async function runAdb(adbPort: number, args: string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(ADB_BINARY, ['-P', String(adbPort), ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) {
        const why = (stderr || stdout || err.message).trim();
        reject(new Error(`adb -P ${adbPort} ${args.join(' ')} failed: ${why}`));
      } else resolve(stdout);
    });
  });
}

/** Starts the adb server on the port if none runs there (adb does nothing when one already does). */
export async function startAdbServer(adbPort: number): Promise<void> {
  await runAdb(adbPort, ['start-server'], 30_000);
}

export async function killAdbServer(adbPort: number): Promise<void> {
  await runAdb(adbPort, ['kill-server']).catch(() => undefined);
}

export async function listAdbDevices(adbPort: number): Promise<AdbDeviceEntry[]> {
  const out = await runAdb(adbPort, ['devices']);
  return out
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 2)
    .map(([serial, state]) => ({ serial: serial!, state: state! }));
}

/**
 * `adb connect SERIAL`, then waits until `adb devices` lists it as `device` (a TCP device shows as
 * offline until the CNXN handshake is done).
 */
export async function connectAdbDevice(adbPort: number, serial: string, timeoutMs = 15_000): Promise<void> {
  const out = await runAdb(adbPort, ['connect', serial]);
  // adb exits 0 even when it could not connect; only its message tells.
  if (!/connected to/.test(out)) throw new Error(`adb could not connect to ${serial}: ${out.trim()}`);
  const deadline = Date.now() + timeoutMs;
  let last = 'absent';
  while (Date.now() < deadline) {
    const entry = (await listAdbDevices(adbPort)).find((d) => d.serial === serial);
    last = entry?.state ?? 'absent';
    if (last === 'device') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${serial} did not come online in adb within ${timeoutMs} ms (state: ${last})`);
}

export async function disconnectAdbDevice(adbPort: number, serial: string): Promise<void> {
  // "error: no such device" when it is not connected: already where we want it.
  await runAdb(adbPort, ['disconnect', serial]).catch(() => undefined);
}

/** Whether something accepts connections on the adb server port (checked without running adb, which would start one). */
export function isAdbServerRunning(adbPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(adbPort, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}
