/**
 * `npm run serve`: the station core with no display, for rack PCs and remote monitoring.
 *
 *   npm run serve -- [--config FILE] [--data DIR] [--host 127.0.0.1] [--port 8420] [--adb-port 5037] [--token T] [--demo]
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
import { parseArgs } from 'node:util';
import { createCommandHandler } from './server/command-handler';
import { startApiServer } from './server/http-server';
import { weakTokenReason } from './server/access-token';
import { ConfigError, loadConfig } from './config/config-file';
import { emptyConfig } from './config/schema';
import { Station } from './station';
import { DEMO_ADB_PORT, DEMO_BASE_PORT, DEMO_PHONES, startDemo } from './demo';
import { createLogger } from './util/log';

const log = createLogger('serve');

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run serve -- [--config FILE] [--data DIR] [--host 127.0.0.1] [--port 8420] [--adb-port 5037] [--token T] [--demo | --no-demo] [--demo-phones N] [--demo-base-port P]\n`);
  process.exit(2);
}

function portArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) usage(`--${name} must be a port number (0-65535), got '${value}'`);
  return n;
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
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string' },
        data: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'adb-port': { type: 'string' },
        token: { type: 'string' },
        demo: { type: 'boolean' },
        'no-demo': { type: 'boolean' },
        'demo-phones': { type: 'string' },
        'demo-base-port': { type: 'string' },
      },
    }).values;
  } catch (err) {
    usage((err as Error).message);
  }
  // Every argument is checked before anything starts: a typo must not leave an adb server behind.
  const apiPort = portArg('port', args.port, 8420);
  const demo = args.demo ?? false;
  const adbPort = portArg('adb-port', args['adb-port'], demo ? DEMO_ADB_PORT : 5037);
  const demoBasePort = portArg('demo-base-port', args['demo-base-port'], DEMO_BASE_PORT);
  const demoPhones = Number(args['demo-phones'] ?? DEMO_PHONES);
  if (!Number.isInteger(demoPhones) || demoPhones < 1 || demoPhones > 64) usage(`--demo-phones must be 1-64, got '${args['demo-phones']}'`);
  if (demo && args.config) usage('--demo starts without a configuration: leave out --config');
  const host = args.host ?? '127.0.0.1';
  const token = args.token ?? process.env.SIP2WA_TOKEN;
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  if (!loopback && !token) {
    usage(`--host ${host}: beyond loopback the console API needs an access token (--token or SIP2WA_TOKEN)`);
  }
  const weak = token === undefined ? null : weakTokenReason(token);
  if (weak) usage(`${args.token === undefined ? 'SIP2WA_TOKEN' : '--token'}: the access token ${weak}; choose a random one, e.g. \`openssl rand -hex 16\` (--token or SIP2WA_TOKEN)`);
  const dataDir = args.data ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'sip2wa-station');
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    usage(`--data ${dataDir}: cannot create the folder (${(err as NodeJS.ErrnoException).code})`);
  }
  // Settings are saved where they were read from: --config, or the data folder's station.json.
  const configFile = args.config ?? join(dataDir, 'station.json');
  const firstStart = !args.config && !existsSync(configFile);
  let config = emptyConfig();
  if (!firstStart && !demo) {
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
  const runDemo = demo || (firstStart && !args['no-demo']);
  if (runDemo && !demo) log.info(`no configuration yet (${configFile}): starting the demo with virtual phones; --no-demo starts empty`);
  log.info(`starting the station (data ${dataDir})`);
  const demoRun = runDemo ? await startDemo({ adbPort: demo ? adbPort : portArg('adb-port', args['adb-port'], DEMO_ADB_PORT), phones: demoPhones, basePort: demoBasePort }) : null;
  if (demoRun) config = demoRun.config;
  const station = new Station({
    config,
    configFile,
    databaseFile: join(dataDir, 'station.db'),
    devices: { adb: { port: demoRun?.adbPort ?? adbPort } },
    demo: demoRun ? { contacts: demoRun.contacts } : undefined,
  });
  await station.start();
  const api = await startApiServer(station, host, apiPort, {
    ws: { source: station, handle: createCommandHandler(station) },
    token,
  });
  log.info(`serving the station API at ${api.url}/api/lines`);
  const shutdown = async (signal: string): Promise<void> => {
    log.info(`${signal}: stopping`);
    await api.close();
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
