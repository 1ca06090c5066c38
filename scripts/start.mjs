#!/usr/bin/env node
/* global process, console, URL */
// `npm start`: builds the console (vite) and the desktop app's code (build-electron.mjs), then runs
// Electron. Checks for the Electron binary first: the electron package downloads it at install time
// unless ELECTRON_SKIP_BINARY_DOWNLOAD is set, and without it there is nothing to start (requiring
// the package would try to download it now, so this looks for the file instead).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const MISSING_BINARY =
  'The Electron binary is not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD). ' +
  'Run the console headless with `npm run serve` and open it in a browser (http://127.0.0.1:8420), ' +
  'or install Electron with `node node_modules/electron/install.js` and run `npm start` again.';

/** The Electron executable the electron package installed, or null. */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(join(ROOT, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  // ELECTRON_OVERRIDE_DIST_PATH points at a locally built Electron, as the electron package allows.
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkgDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const binary = override ? join(override, name ?? 'electron') : name ? join(pkgDir, 'dist', name) : null;
  return binary && existsSync(binary) ? binary : null;
}

function run(what, command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm start: ${what} failed`);
    process.exit(result.status ?? 1);
  }
}

const binary = electronBinary();
if (!binary) {
  console.error(MISSING_BINARY);
  process.exit(1);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (existsSync(join(ROOT, 'renderer', 'vite.config.ts'))) run('building the console', npm, ['run', '--silent', 'build:renderer']);
run('building the desktop app', process.execPath, [join(ROOT, 'scripts', 'build-electron.mjs')]);
const child = spawn(binary, [join(ROOT, 'dist', 'electron', 'main.js'), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
