/**
 * `npm run build:agent` (scripts/build-dex.sh) as a user meets it: a second run with nothing changed
 * leaves the jar alone and says so in one line; a source change rebuilds; an ANDROID_HOME without an
 * Android platform or d8 is refused with what is missing and how to build without it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_DIR, AGENT_JAR, BUILD_SCRIPT, ensureAgentBuilt } from './link-check/build';

const run = promisify(execFile);

async function build(env: NodeJS.ProcessEnv = {}, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('bash', [BUILD_SCRIPT, ...args], { env: { ...process.env, ...env }, timeout: 300_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run build:agent', () => {
  let emptySdk: string;

  beforeAll(() => {
    ensureAgentBuilt();
    emptySdk = mkdtempSync(join(tmpdir(), 'sip2wa-sdk-'));
  }, 300_000);

  afterAll(() => rmSync(emptySdk, { recursive: true, force: true }));

  it('leaves an up-to-date jar alone and says so in one line', async () => {
    const before = statSync(AGENT_JAR).mtimeMs;
    const r = await build({ ANDROID_HOME: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('build:agent: build/sip2wa-agent.jar is up to date\n');
    expect(r.stderr).toBe('');
    expect(statSync(AGENT_JAR).mtimeMs).toBe(before);
  });

  it('rebuilds when a source is newer than the jar', async () => {
    // the jar made older than a source, as after an edit (no file is set in the future)
    const source = join(AGENT_DIR, 'android', 'src', 'org', 'sip2wa', 'agent', 'Main.java');
    const now = new Date();
    utimesSync(source, now, now);
    const earlier = new Date(now.getTime() - 60_000);
    utimesSync(AGENT_JAR, earlier, earlier);
    const r = await build({ ANDROID_HOME: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^build:agent: built build\/sip2wa-agent\.jar \(\d+ classes, \d+ bytes; javac --release 7 against stubs\/ \+ dx 1\.11\)\n$/);
    expect(statSync(AGENT_JAR).mtimeMs).toBeGreaterThan(earlier.getTime());
  }, 300_000);

  it('refuses an ANDROID_HOME without a platform, naming it and the way to build without the SDK', async () => {
    const r = await build({ ANDROID_HOME: emptySdk }, '--force');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `build:agent: ANDROID_HOME=${emptySdk} has no platforms/android-*/android.jar (install a platform, or unset ANDROID_HOME to build with the stubs)\n`,
    );
  });

  it('refuses an unknown option', async () => {
    const r = await build({}, '--fast');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('build:agent: unknown option --fast (use --force or --test)\n');
  });
});
