/**
 * Demo mode, for a first start with no configuration (`npm run serve -- --demo`, and the desktop app
 * when it finds no configuration file): a few virtual phones on their own adb server, with simulated
 * WhatsApp contacts (one that answers and echoes, one that plays a tone, one that rejects...). A
 * newcomer sees live lines, test-dials the echo contact with the headset and finds the call in the log;
 * the lines say plainly that no PBX is configured until one is.
 *
 * The phones use their own adb server (default port 5039), so a demo never touches the phones of the
 * adb server on 5037.
 */
import { isAdbServerRunning, startAdbServer } from '../../phone-agent/simulator/adbd/adb-host-cli';
import { VirtualPhoneFarm } from '../../phone-agent/simulator/virtual-phone-farm';
import { defaultScenario } from '../../phone-agent/simulator/whatsapp/scenario';
import type { StationInfo } from './api/types';
import { emptyConfig, type StationConfig } from './config/schema';
import { createLogger } from './util/log';

export const DEMO_ADB_PORT = 5039;
export const DEMO_PHONES = 4;
/** The demo phones' first port: serials stay the same from one demo to the next, so saved settings still fit. */
export const DEMO_BASE_PORT = 27300;

export interface DemoOptions {
  adbPort?: number;
  phones?: number;
  /** 0 = ephemeral ports (tests). */
  basePort?: number;
}

export interface Demo {
  adbPort: number;
  contacts: StationInfo['demoContacts'];
  /** The configuration a demo station starts with: no PBX, the echo contact for echo tests. */
  config: StationConfig;
  farm: VirtualPhoneFarm;
  stop(): Promise<void>;
}

export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  const log = createLogger('demo');
  const adbPort = opts.adbPort ?? DEMO_ADB_PORT;
  if (!(await isAdbServerRunning(adbPort))) await startAdbServer(adbPort);
  const scenario = defaultScenario();
  const farm = new VirtualPhoneFarm({ count: opts.phones ?? DEMO_PHONES, basePort: opts.basePort ?? DEMO_BASE_PORT, adbPort, scenario, log });
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
  log.info(`demo: ${farm.phones.length} virtual phones on the adb server at port ${adbPort}; contacts ${contacts.map((c) => `${c.name} +${c.number}`).join(', ')}`);
  return { adbPort, contacts, config, farm, stop: () => farm.stop() };
}
