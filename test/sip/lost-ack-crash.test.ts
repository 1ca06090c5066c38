/**
 * Regression: sip.js 0.21 kills the process when the ACK for our 200 is lost and a BYE follows (its
 * ACK-timeout handler transitions Terminated -> Terminated from a timer). A child process plays the
 * station's line; SIPp sends the INVITE, skips the ACK and hangs up. Timers are shortened so the ACK
 * timeout fires about 3 s later instead of 32 s.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runSipp } from '../support/sipp';
import { freeSipPort } from '../support/sip-port';
import { waitFor } from '../support/wait';

async function callWithLostAck(unguarded: boolean): Promise<{ code: number | null; out: string; err: string; sippCode: number | null }> {
  const pbxPort = await freeSipPort();
  const child = spawn('node_modules/.bin/tsx', ['test/support/lost-ack-uas.ts', String(pbxPort)], {
    env: { ...process.env, SIP2WA_LOG: 'info', ...(unguarded ? { SIP2WA_UNGUARDED: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const { value: port } = await waitFor('the line to listen', () => /PORT (\d+)/.exec(out)?.[1], 15_000);
    const sipp = await runSipp({ scenario: 'uac-lost-ack-bye.xml', remote: `127.0.0.1:${port}`, localPort: pbxPort, service: '201', timeoutMs: 10_000 });
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    return { code, out, err, sippCode: sipp.code };
  } finally {
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  }
}

describe('lost ACK followed by BYE', () => {
  it('ends the call and the process survives the ACK timeout', async () => {
    const r = await callWithLostAck(false);
    expect(r.sippCode, r.err).toBe(0);
    expect(r.out).toContain('ENDED');
    expect(r.out).toContain('ALIVE state=Terminated');
    expect(r.code).toBe(0);
    expect(r.err).toContain('ACK timeout after the call already ended; ignored');
  }, 40_000);

  it('reproduces the crash without the guards (proves the test exercises the bug)', async () => {
    const r = await callWithLostAck(true);
    expect(r.sippCode).toBe(0);
    expect(r.out).toContain('ENDED');
    expect(r.out).not.toContain('ALIVE');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Invalid state transition from Terminated to Terminated/);
  }, 40_000);
});
