/**
 * `npm run serve`: the station core with no display, for rack PCs and remote monitoring.
 *
 *   npm run serve -- [--config FILE] [--data DIR] [--host 127.0.0.1] [--port 8420] [--adb-port 5037] [--token T] [--demo] [--scenario FILE]
 *
 * Every option is explained by `--help` (server/serve-options.ts). Everything that can be refused is
 * checked before anything starts: the arguments, the console's port, the configuration file and the
 * demo's scenario file, so a mistake leaves no adb server or virtual phones behind.
 *
 * --demo: start with virtual phones and simulated WhatsApp contacts on their own adb server (port 5039
 * unless --adb-port says otherwise); see demo.ts. A first start (no --config, no saved configuration in
 * DIR) runs the demo too, unless --no-demo. Settings saved from the console go to --config FILE or
 * DIR/station.json, which the next start reads.
 *
 * Bound beyond loopback, every request needs the token (SIP2WA_TOKEN in the environment keeps it out of
 * the process list).
 *
 * DIR holds the station database (call records, messages, policy counters); default
 * $XDG_DATA_HOME/sip2wa-station or ~/.local/share/sip2wa-station.
 */
import './util/threadpool';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createCommandHandler } from './server/command-handler';
import { startApiServer } from './server/http-server';
import { createMetrics } from './server/metrics';
import { DEFAULT_DEMO_ADB_PORT, HELP, parseServeArgs, UsageError, type ServeOptions } from './server/serve-options';
import { ConfigError, loadConfig } from './config/config-file';
import { emptyConfig } from './config/schema';
import { Station } from './station';
import { DemoRefusal, loadDemoScenario, startDemo, type Demo } from './demo';
import { DEFAULT_CONSOLE_DIR } from './server/static-files';
import { createLogger } from './util/log';
import { portProblem } from './util/port-free';

const log = createLogger('serve');

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run serve -- [--config FILE] [--data DIR] [--host 127.0.0.1] [--port 8420] [--adb-port 5037] [--token T] [--demo | --no-demo] [--demo-phones N] [--demo-base-port P] [--scenario FILE]; --help explains each\n`);
  process.exit(2);
}

/**
 * SIGINT and SIGTERM stop the station cleanly at any time: one that arrives while it is still starting
 * (an adb server coming up, a slow machine) stops it as soon as it has started, instead of killing the
 * process with the API half open.
 */
function onStopSignal(): { ready(stop: (signal: string) => Promise<void>): void } {
  let stop: ((signal: string) => Promise<void>) | null = null;
  let pending: string | null = null;
  const received = (signal: string): void => {
    if (stop) void stop(signal);
    else if (!pending) {
      pending = signal;
      log.info(`${signal} while starting: stopping once started`);
    }
  };
  process.once('SIGINT', () => received('SIGINT'));
  process.once('SIGTERM', () => received('SIGTERM'));
  return {
    ready(fn) {
      stop = fn;
      if (pending) void fn(pending);
    },
  };
}

async function main(): Promise<void> {
  const signals = onStopSignal();
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  let opts: ServeOptions;
  try {
    opts = parseServeArgs(argv, process.env);
  } catch (err) {
    if (err instanceof UsageError) usage(err.message);
    throw err;
  }
  // The console's port is checked before anything starts: a second station must not start its phones first.
  const taken = opts.apiPort === 0 ? null : await portProblem(opts.host, opts.apiPort);
  if (taken) {
    const why = taken === 'EADDRINUSE' ? 'is in use (another station or program listens there)' : `cannot be listened on (${taken})`;
    usage(`--port ${opts.apiPort}: ${opts.host}:${opts.apiPort} ${why}; choose another with --port, e.g. --port ${opts.apiPort + 1}`);
  }
  const scenario = opts.scenario ? loadDemoScenario(opts.scenario, usage) : undefined;
  const dataDir = opts.data ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'sip2wa-station');
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    usage(`--data ${dataDir}: cannot create the folder (${(err as NodeJS.ErrnoException).code})`);
  }
  // Settings are saved where they were read from: --config, or the data folder's station.json.
  const configFile = opts.config ?? join(dataDir, 'station.json');
  const firstStart = !opts.config && !existsSync(configFile);
  let config = emptyConfig();
  if (!firstStart && !opts.demo) {
    try {
      config = await loadConfig(configFile);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`configuration refused: ${err.message}\n`);
      process.exit(2);
    }
    log.info(`configuration ${configFile}: ${config.pbx.length} PBX, ${config.lines.length} lines`);
  }
  // A first start with nothing configured shows the demo, so a newcomer sees live lines at once.
  const runDemo = opts.demo || (firstStart && !opts.noDemo);
  if (opts.scenario && !runDemo) usage(`--scenario sets up the demo's virtual phones, and ${configFile} starts no demo: add --demo`);
  if (runDemo && !opts.demo) log.info(`no configuration yet (${configFile}): starting the demo with virtual phones; --no-demo starts empty`);
  log.info(`starting the station (data ${dataDir})`);
  // The demo has its own adb server (5039) unless --adb-port names one, with or without --demo.
  const demoAdbPort = opts.adbPortGiven ? opts.adbPort : DEFAULT_DEMO_ADB_PORT;
  let demoRun: Demo | null = null;
  try {
    demoRun = runDemo ? await startDemo({ adbPort: demoAdbPort, phones: opts.demoPhones, basePort: opts.demoBasePort, scenario }) : null;
  } catch (err) {
    if (err instanceof DemoRefusal) usage(err.message);
    throw err;
  }
  if (demoRun) config = demoRun.config;
  const station = new Station({
    config,
    configFile,
    databaseFile: join(dataDir, 'station.db'),
    dataDir,
    devices: { adb: { port: demoRun?.adbPort ?? opts.adbPort } },
    demo: demoRun?.controls,
  });
  await station.start();
  const metrics = createMetrics(station);
  const api = await startApiServer(station, opts.host, opts.apiPort, {
    ws: { source: station, handle: createCommandHandler(station) },
    token: opts.token,
    metrics,
  });
  // The address to open is the console's, not the JSON API's.
  const built = existsSync(join(DEFAULT_CONSOLE_DIR, 'index.html'));
  log.info(`console at ${api.url}/ (the station API under ${api.url}/api/)${built ? '' : '; the console is not built yet: run npm run build:renderer'}`);
  process.stdout.write(`sip2wa station: open the console at ${api.url}/${opts.token ? ' (with the access token)' : ''}\n`);
  const shutdown = async (signal: string): Promise<void> => {
    log.info(`${signal}: stopping`);
    await api.close();
    metrics.stop();
    await station.stop();
    await demoRun?.stop();
    process.exit(0);
  };
  signals.ready(shutdown);
  // `kill -USR2 <pid>` writes the station's memory to the log (after a full collection when node runs
  // with --expose-gc), for operators chasing a leak and for the load test.
  process.on('SIGUSR2', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const m = process.memoryUsage();
    const mib = (n: number): string => (n / 1048576).toFixed(1);
    log.warn(`memory${gc ? ' after gc' : ''}: rss=${mib(m.rss)} MiB heapUsed=${mib(m.heapUsed)} MiB heapTotal=${mib(m.heapTotal)} MiB external=${mib(m.external)} MiB`);
  });
}

main().catch((err) => {
  log.error(`cannot start: ${(err as Error).message}`);
  process.exit(1);
});
