/**
 * `npm run serve`'s command line: every option with its help text, parsed and checked before anything
 * starts (a typo must not leave an adb server or virtual phones behind). A refused argument is a
 * UsageError whose message names the option and why.
 */
import { parseArgs } from 'node:util';
import { DEMO_ADB_PORT as DEFAULT_DEMO_ADB_PORT, DEMO_BASE_PORT as DEFAULT_DEMO_BASE_PORT, DEMO_PHONES as DEFAULT_DEMO_PHONES } from '../demo';
import { weakTokenReason } from './access-token';

export { DEFAULT_DEMO_ADB_PORT };
export const DEFAULT_API_PORT = 8420;
export const DEFAULT_ADB_PORT = 5037;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ServeOptions {
  help: boolean;
  config?: string;
  data?: string;
  host: string;
  apiPort: number;
  /** The adb server the station uses: the demo's own (5039) when it runs the demo, else 5037. */
  adbPort: number;
  /** Whether --adb-port was given (a first-start demo then uses it too). */
  adbPortGiven: boolean;
  token?: string;
  /** Where the token came from, for messages that must not show it. */
  tokenSource: '--token' | 'SIP2WA_TOKEN' | null;
  demo: boolean;
  noDemo: boolean;
  demoPhones: number;
  /** Null: the demo takes 27300 and up, or the next free block when another demo has those. */
  demoBasePort: number | null;
  scenario?: string;
}

export const HELP = `usage: npm run serve -- [options]

Runs the station with no display and serves the operator console at http://HOST:PORT/ (the JSON API
under /api/). A first start with no configuration runs the demo.

  --config FILE         the configuration to read, and where Settings saves (default DIR/station.json)
  --data DIR            the station's folder: call records database, and station.json unless --config
                        (default $XDG_DATA_HOME/sip2wa-station or ~/.local/share/sip2wa-station)
  --host ADDRESS        the address the console and API listen on (default 127.0.0.1); any other than
                        loopback needs an access token
  --port PORT           the console's and API's port (default ${DEFAULT_API_PORT}); checked before anything starts
  --token TOKEN         the access token required beyond loopback, 16 characters or more (better: set
                        SIP2WA_TOKEN in the environment, which keeps it out of the process list)
  --adb-port PORT       the adb server the phones are on (default ${DEFAULT_ADB_PORT}; with the demo, the demo's own
                        adb server, default ${DEFAULT_DEMO_ADB_PORT}); started if none runs there
  --demo                start the demo: virtual phones with simulated WhatsApp contacts on their own adb
                        server, without a configuration (leave out --config)
  --no-demo             do not start the demo on a first start; start with no lines instead
  --demo-phones N       how many virtual phones the demo has (1-64, default ${DEFAULT_DEMO_PHONES})
  --demo-base-port P    the first demo phone's port, the next ones follow (default ${DEFAULT_DEMO_BASE_PORT}, or the
                        next free block of 64 when another demo holds those); 0 = any free ports
  --scenario FILE       the demo's simulated WhatsApp: contacts and their behaviour, scripted incoming
                        messages and calls (JSON, see phone-agent/simulator/whatsapp/scenario.ts)
  --help                this text

Two demos on one machine: give each its own --port and --adb-port.
`;

function portArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number (0-65535), got '${value}'`);
  return n;
}

/** Parses and checks serve's arguments; throws UsageError naming the option and the reason. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = {}): ServeOptions {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        help: { type: 'boolean', short: 'h' },
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
        scenario: { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const help = values.help ?? false;
  const demo = values.demo ?? false;
  const noDemo = values['no-demo'] ?? false;
  if (demo && noDemo) throw new UsageError('--demo and --no-demo contradict each other: choose one');
  if (demo && values.config) throw new UsageError('--demo starts without a configuration: leave out --config');
  if (values.scenario && noDemo) throw new UsageError('--scenario sets up the demo\'s virtual phones: it cannot go with --no-demo');
  if (values.scenario && values.config) throw new UsageError('--scenario sets up the demo\'s virtual phones: add --demo (and leave out --config)');
  const demoPhones = Number(values['demo-phones'] ?? DEFAULT_DEMO_PHONES);
  if (!Number.isInteger(demoPhones) || demoPhones < 1 || demoPhones > 64) throw new UsageError(`--demo-phones must be 1-64, got '${values['demo-phones']}'`);
  const host = values.host ?? '127.0.0.1';
  const token = values.token ?? env.SIP2WA_TOKEN;
  const tokenSource = values.token !== undefined ? '--token' : env.SIP2WA_TOKEN !== undefined ? 'SIP2WA_TOKEN' : null;
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  if (!loopback && !token) throw new UsageError(`--host ${host}: beyond loopback the console API needs an access token (--token or SIP2WA_TOKEN)`);
  const weak = token === undefined ? null : weakTokenReason(token);
  if (weak) throw new UsageError(`${tokenSource}: the access token ${weak}; choose a random one, e.g. \`openssl rand -hex 16\` (--token or SIP2WA_TOKEN)`);
  return {
    help,
    config: values.config,
    data: values.data,
    host,
    apiPort: portArg('port', values.port, DEFAULT_API_PORT),
    adbPort: portArg('adb-port', values['adb-port'], demo ? DEFAULT_DEMO_ADB_PORT : DEFAULT_ADB_PORT),
    adbPortGiven: values['adb-port'] !== undefined,
    token,
    tokenSource,
    demo,
    noDemo,
    demoPhones,
    demoBasePort: values['demo-base-port'] === undefined ? null : portArg('demo-base-port', values['demo-base-port'], 0),
    scenario: values.scenario,
  };
}
