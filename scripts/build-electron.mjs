#!/usr/bin/env node
/* global process, console, URL */
// Builds the desktop app's code into dist/ (the renderer is built by vite into renderer/dist):
//
//   dist/electron/main.js ...        main process and the station core, one .js per .ts, same tree
//   dist/native-audio, dist/phone-agent   what the core imports from there
//   dist/electron/preload.cjs       the preload, one sandbox-safe CommonJS file importing only 'electron'
//   dist/assets/prompts, agent jars the files the core finds relative to its own modules
//
// Main keeps one file per module (rather than one bundle) because the core finds its media worker,
// prompts and agent builds relative to its own files (import.meta.url), and npm packages stay
// external so the native ones (better-sqlite3, naudiodon) load as rebuilt for Electron.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist');
/** Electron 45 runs Node 22. */
const TARGET = 'node22';
const SOURCE_DIRS = ['electron', 'native-audio', 'phone-agent'];
const SKIP = [/\.test\.ts$/, /[/\\]electron[/\\]main[/\\]testing[/\\]/, /\.d\.ts$/, /[/\\]phone-agent[/\\]android[/\\]/, /[/\\]electron[/\\]preload\.ts$/];
/** Runtime files next to the code that are not TypeScript. */
const COPIES = [
  ['electron/station/media/media-worker-boot.mjs', 'dist/electron/station/media/media-worker-boot.mjs'],
  ['assets/prompts', 'dist/assets/prompts'],
  ['phone-agent/simulator/virtual-agent.jar', 'dist/phone-agent/simulator/virtual-agent.jar'],
];

function sources(dir) {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .filter((f) => !SKIP.some((re) => re.test(f)) && !f.includes(`${sep}node_modules${sep}`));
}

/** The .ts file an extensionless relative import names, as esbuild would find it. */
function resolveTs(fromDir, spec) {
  const base = resolve(fromDir, spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`cannot resolve ${spec} from ${relative(ROOT, fromDir)}`);
}

/** Keeps every import as an import, rewritten to the .js file it becomes (ESM needs the extension). */
const perFile = {
  name: 'one-file-per-module',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const target = resolveTs(args.resolveDir, args.path);
      let rel = relative(args.resolveDir, target).split(sep).join('/').replace(/\.ts$/, '.js');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return { path: rel, external: true };
    });
  },
};

async function buildMain() {
  const entryPoints = SOURCE_DIRS.flatMap(sources);
  await build({
    entryPoints,
    outbase: ROOT,
    outdir: OUT,
    bundle: true,
    plugins: [perFile],
    platform: 'node',
    format: 'esm',
    target: TARGET,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return entryPoints.length;
}

async function commandNames() {
  const contract = await import(pathToFileURL(join(OUT, 'electron/station/api/contract.js')).href);
  return Object.keys(contract.COMMANDS);
}

async function buildPreload(names) {
  await build({
    entryPoints: [join(ROOT, 'electron/preload.ts')],
    outfile: join(OUT, 'electron/preload.cjs'),
    bundle: true,
    // A sandboxed preload has no Node: the browser platform makes any Node import fail the build.
    platform: 'browser',
    format: 'cjs',
    target: 'chrome140',
    external: ['electron'],
    define: { SIP2WA_COMMAND_NAMES: JSON.stringify(names) },
    logLevel: 'warning',
  });
}

export async function buildElectron() {
  for (const dir of ['electron', 'native-audio', 'phone-agent', 'assets']) rmSync(join(OUT, dir), { recursive: true, force: true });
  const modules = await buildMain();
  for (const [from, to] of COPIES) {
    if (!existsSync(join(ROOT, from))) continue;
    mkdirSync(dirname(join(ROOT, to)), { recursive: true });
    cpSync(join(ROOT, from), join(ROOT, to), { recursive: true });
  }
  const names = await commandNames();
  await buildPreload(names);
  return { modules, commands: names.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  buildElectron()
    .then(({ modules, commands }) => console.log(`built dist/electron: ${modules} modules, preload with ${commands} commands (${Date.now() - started} ms)`))
    .catch((err) => {
      console.error(`build-electron: ${err.message}`);
      process.exit(1);
    });
}
