/**
 * Demo mode, for a first start with no configuration (`npm run serve -- --demo`, and the desktop app
 * when it finds no configuration file): a few virtual phones on their own adb server, with simulated
 * WhatsApp contacts (one that answers and echoes, one that plays a tone, one that rejects...). A
 * newcomer sees live lines, test-dials the echo contact with the headset and finds the call in the log;
 * the lines say plainly that no PBX is configured until one is. Once a PBX is connected, a demo contact
 * can call a line's phone (`demo.incomingCall`), so the WhatsApp -> SIP direction rings the line's
 * inbound extension too.
 *
 * The phones use their own adb server (default port 5039, `--adb-port` chooses another), so a demo never
 * touches the phones of the adb server on 5037; a demo refuses an adb server another demo's phones are
 * on. The phones listen from port 27300; a second demo on the machine takes the next free block of 64.
 */
import { isAdbServerRunning, listAdbDevices, startAdbServer } from '../../phone-agent/simulator/adbd/adb-host-cli';
import { VirtualPhoneFarm } from '../../phone-agent/simulator/virtual-phone-farm';
import { defaultScenario, loadScenario, ScenarioError, type Scenario } from '../../phone-agent/simulator/whatsapp/scenario';
import type { StationInfo } from './api/types';
import { emptyConfig, type StationConfig } from './config/schema';
import { createLogger } from './util/log';
import { portProblem } from './util/port-free';

export const DEMO_ADB_PORT = 5039;
export const DEMO_PHONES = 4;
/** The demo phones' first port: serials stay the same from one demo to the next, so saved settings still fit. */
export const DEMO_BASE_PORT = 27300;
/** A second demo's phones take the next block of this many ports. */
const PORT_BLOCK = 64;
const PORT_BLOCKS = 16;

export interface DemoOptions {
  adbPort?: number;
  phones?: number;
  /** The first phone's port; 0 = ephemeral ports (tests); null or absent = 27300, or the next free block. */
  basePort?: number | null;
  /** The simulated WhatsApp (default: the built-in contacts). */
  scenario?: Scenario;
}

/** What the station may do with the demo's simulated WhatsApp: its contacts, and make one of them call or write. */
export interface DemoControls {
  contacts: StationInfo['demoContacts'];
  /** A contact calls the phone whose WhatsApp account is `account`; false when no phone has it. */
  ringPhone(account: string, from: string): boolean;
  /** A contact sends a text to the phone whose account is `account`; false when no phone has it. */
  messagePhone(account: string, from: string, text: string): boolean;
}

export interface Demo {
  adbPort: number;
  contacts: StationInfo['demoContacts'];
  /** The configuration a demo station starts with: no PBX, the echo contact for echo tests. */
  config: StationConfig;
  farm: VirtualPhoneFarm;
  controls: DemoControls;
  stop(): Promise<void>;
}

/** A demo that cannot start for a reason the operator can fix (a port, a file): the message says which. */
export class DemoRefusal extends Error {
  override name = 'DemoRefusal';
}

/** Reads a scenario file for the demo; a bad file is refused naming the file, the field and why. */
export function loadDemoScenario(file: string, refuse: (message: string) => never): Scenario {
  try {
    return loadScenario(file);
  } catch (err) {
    if (err instanceof ScenarioError) refuse(`--scenario: ${err.message}`);
    throw err;
  }
}

async function blockFree(first: number, count: number): Promise<number | null> {
  for (let port = first; port < first + count; port++) if (await portProblem('127.0.0.1', port)) return port;
  return null;
}

/** The phones' first port: the one asked for (every port of the block free), or the first free block from 27300. */
async function choosePorts(asked: number | null | undefined, count: number): Promise<number> {
  if (asked === 0) return 0;
  if (asked !== undefined && asked !== null) {
    const taken = await blockFree(asked, count);
    if (taken !== null) throw new DemoRefusal(`--demo-base-port ${asked}: port ${taken} for a demo phone is in use (another demo?); choose another block, or leave it out to take a free one`);
    return asked;
  }
  for (let block = 0; block < PORT_BLOCKS; block++) {
    const first = DEMO_BASE_PORT + block * PORT_BLOCK;
    if ((await blockFree(first, count)) === null) return first;
  }
  throw new DemoRefusal(`no free ports for the demo phones from ${DEMO_BASE_PORT} to ${DEMO_BASE_PORT + PORT_BLOCKS * PORT_BLOCK - 1}: choose some with --demo-base-port`);
}

/** Refuses an adb server that already has virtual phones of another demo plugged in. */
async function checkAdbServerFree(adbPort: number): Promise<void> {
  const others = (await listAdbDevices(adbPort).catch(() => [])).filter((d) => d.state === 'device' && /^127\.0\.0\.1:\d+$/.test(d.serial));
  if (others.length > 0) {
    throw new DemoRefusal(
      `--adb-port ${adbPort}: the adb server there already has phones of another demo (${others.map((d) => d.serial).join(', ')}); give this demo its own with --adb-port`,
    );
  }
}

export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  const log = createLogger('demo');
  const adbPort = opts.adbPort ?? DEMO_ADB_PORT;
  const count = opts.phones ?? DEMO_PHONES;
  const basePort = await choosePorts(opts.basePort, count);
  if (!(await isAdbServerRunning(adbPort))) await startAdbServer(adbPort);
  else await checkAdbServerFree(adbPort);
  const scenario = opts.scenario ?? defaultScenario();
  const farm = new VirtualPhoneFarm({ count, basePort, adbPort, scenario, log });
  try {
    await farm.start();
  } catch (err) {
    await farm.stop().catch(() => undefined);
    throw new Error(`demo: cannot start the virtual phones: ${(err as Error).message}`);
  }
  const contacts = (scenario.contacts ?? []).map((c) => ({ number: c.number, name: c.name ?? `+${c.number}`, behaviour: c.behaviour }));
  const config = emptyConfig();
  const echo = contacts.find((c) => c.behaviour === 'echo');
  if (echo) config.routing.echoContact = echo.number;
  const hasPhone = (account: string): boolean => farm.phones.some((p) => p.device.account === account);
  const controls: DemoControls = {
    contacts,
    ringPhone: (account, from) => hasPhone(account) && (farm.whatsapp.callFromContact(from, account), true),
    messagePhone: (account, from, text) => hasPhone(account) && (farm.whatsapp.messageFromContact(from, account, text), true),
  };
  const ports = basePort === 0 ? 'ephemeral ports' : `ports ${basePort}-${basePort + count - 1}`;
  log.info(`demo: ${farm.phones.length} virtual phones (${ports}) on the adb server at port ${adbPort}; contacts ${contacts.map((c) => `${c.name} +${c.number}`).join(', ')}`);
  return { adbPort, contacts, config, farm, controls, stop: () => farm.stop() };
}
