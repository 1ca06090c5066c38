/**
 * `npm start` on a machine without the Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD,
 * as here): it says so and what to do instead, exits 1, and builds nothing first.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm start without the Electron binary', () => {
  it('explains how to run the console instead and exits 1', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The Electron binary is not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD).');
    expect(run.stderr).toContain('`npm run serve`');
    expect(run.stderr).toContain('`node node_modules/electron/install.js`');
    // It checked before building anything: the console's build prints to stdout, and nothing but the
    // one explanation went to stderr.
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names an ELECTRON_OVERRIDE_DIST_PATH without an Electron in it as missing too', () => {
    const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(ROOT, 'no-such-electron') };
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^The Electron binary is not installed/);
  });
});
