/**
 * A private adb server per test file: its own port, so tests never touch a developer's adb server on
 * 5037 and two test files can kill their servers independently.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export { freePort } from './ports';

const run = promisify(execFile);

export async function adb(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('adb', ['-P', String(port), ...args], { timeout: 20_000 });
  return stdout;
}

export async function killAdbServer(port: number): Promise<void> {
  await adb(port, 'kill-server').catch(() => undefined);
}
