/**
 * A private adb server per test file: its own port, so tests never touch a developer's adb server on
 * 5037 and two test files can kill their servers independently.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function adb(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('adb', ['-P', String(port), ...args], { timeout: 20_000 });
  return stdout;
}

export async function killAdbServer(port: number): Promise<void> {
  await adb(port, 'kill-server').catch(() => undefined);
}
