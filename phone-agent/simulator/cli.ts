/**
 * `npm run virtual-phone -- --count N [--agent simulated|java] [--scenario FILE] [--base-port P] [--adb-port P]`
 *
 * Plugs N virtual phones into the adb server (starting one if none runs on that port), prints one line
 * per phone, and stays up until SIGINT/SIGTERM, then unplugs them all so adb does not keep ghosts.
 */
import { pathToFileURL } from 'node:url';
import { createLogger } from '../../electron/station/util/log';
import { DEFAULT_ADB_PORT, isAdbServerRunning, startAdbServer } from './adbd';
import { AGENT_KINDS, DEFAULT_BASE_PORT, VirtualPhoneFarm, type AgentKind } from './virtual-phone-farm';
import { loadScenario, type Scenario } from './whatsapp';

export interface CliOptions {
  count: number;
  agent: AgentKind;
  scenario?: string;
  basePort: number;
  adbPort: number;
  help: boolean;
}

export const USAGE = `usage: npm run virtual-phone -- --count N [--agent simulated|java] [--scenario FILE] [--base-port P] [--adb-port P]

  --count N        virtual phones to plug in (default 1)
  --agent KIND     the agent the phones run: simulated (TypeScript, default) or java (the real agent core
                   in one JVM, needs a JDK 17)
  --scenario FILE  simulated WhatsApp contacts and scripted events (JSON); default: built-in scenario
  --base-port P    adbd port of the first phone, the next ones follow (default ${DEFAULT_BASE_PORT})
  --adb-port P     the adb server's port (default ${DEFAULT_ADB_PORT}); started if nothing listens there
`;

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

function intArg(flag: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || raw.startsWith('--')) throw new CliUsageError(`${flag} needs a value`);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliUsageError(`${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

export function parseCliArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { count: 1, agent: 'simulated', basePort: DEFAULT_BASE_PORT, adbPort: DEFAULT_ADB_PORT, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--count':
        opts.count = intArg(flag, value(), 1, 500);
        break;
      case '--base-port':
        opts.basePort = intArg(flag, value(), 1024, 65535);
        break;
      case '--adb-port':
        opts.adbPort = intArg(flag, value(), 1, 65535);
        break;
      case '--agent': {
        const kind = value();
        if (!AGENT_KINDS.includes(kind as AgentKind)) {
          throw new CliUsageError(`--agent must be one of ${AGENT_KINDS.join(', ')}, got "${kind ?? ''}"`);
        }
        opts.agent = kind as AgentKind;
        break;
      }
      case '--scenario': {
        const file = value();
        if (!file || file.startsWith('--')) throw new CliUsageError('--scenario needs a file name');
        opts.scenario = file;
        break;
      }
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new CliUsageError(`unknown argument "${arg}"`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  let opts: CliOptions;
  let scenario: Scenario | undefined;
  try {
    opts = parseCliArgs(process.argv.slice(2));
    if (opts.help) {
      process.stdout.write(USAGE);
      return;
    }
    if (opts.scenario) scenario = loadScenario(opts.scenario);
  } catch (err) {
    process.stderr.write(`virtual-phone: ${(err as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const log = createLogger('virtual-phone');
  if (!(await isAdbServerRunning(opts.adbPort))) {
    log.info(`no adb server on port ${opts.adbPort}: starting one`);
    await startAdbServer(opts.adbPort);
  }
  const farm = new VirtualPhoneFarm({ count: opts.count, agent: opts.agent, basePort: opts.basePort, adbPort: opts.adbPort, scenario, log });
  let stopping = false;
  const shutdown = (signal: string): void => {
    // Ctrl-C reaches us twice under tsx (the terminal's and tsx's relay): repeats are not a "force" request.
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: unplugging ${farm.phones.length} phones`);
    setTimeout(() => {
      process.stderr.write('virtual-phone: unplugging took more than 10 s, exiting anyway\n');
      process.exit(1);
    }, 10_000).unref();
    farm.stop().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`virtual-phone: stopping failed: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  try {
    await farm.start();
  } catch (err) {
    process.stderr.write(`virtual-phone: could not start the phones: ${(err as Error).message}\n`);
    await farm.stop().catch(() => undefined);
    process.exit(1);
  }
  for (const p of farm.phones) {
    const d = p.device;
    process.stdout.write(`${p.serial.padEnd(16)} ${d.serialNo}  +${d.account}  ${d.manufacturer} ${d.model}\n`);
  }
  process.stdout.write(`${farm.phones.length} virtual phones plugged into adb on port ${opts.adbPort}; Ctrl-C unplugs them\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
