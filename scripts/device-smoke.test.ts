/**
 * scripts/device-smoke.sh refuses what it cannot use before touching a phone, and names the fix: no
 * serial, a number that is not international digits, a phone adb does not have ready (checked against a
 * private adb server with no phones).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAdbServer } from '../phone-agent/simulator/adbd';
import { startPrivateAdbServer } from '../phone-agent/simulator/adbd/test-support';

const SCRIPT = fileURLToPath(new URL('./device-smoke.sh', import.meta.url));
const run = promisify(execFile);
let adbPort: number;

async function smoke(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run('bash', [SCRIPT, ...args], { env: { ...process.env, ANDROID_ADB_SERVER_PORT: String(adbPort) }, timeout: 30_000 });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

beforeAll(async () => {
  adbPort = await startPrivateAdbServer();
});

afterAll(async () => {
  await killAdbServer(adbPort);
});

describe('device-smoke.sh', () => {
  it('prints its usage without a serial', async () => {
    const r = await smoke();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: scripts/device-smoke.sh SERIAL [ECHO_NUMBER]');
  });

  it('refuses an echo number written with + or too short', async () => {
    for (const n of ['+15550100001', '12345']) {
      const r = await smoke('R58M123', n);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`ECHO_NUMBER must be international digits without + (e.g. 15550100001), got '${n}'`);
    }
  });

  it('says how to make a phone ready when adb does not have it', async () => {
    const r = await smoke('R58M123');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('phone R58M123 is not ready (adb state: not connected); enable USB debugging');
  });
});
