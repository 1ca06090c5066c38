/**
 * A row of virtual phones sharing one simulated WhatsApp network, so they can call each other.
 * Phone i (from 1) listens on basePort + i - 1: serials such as 127.0.0.1:27100 stay the same across
 * restarts, and the station keeps its line configuration.
 */
import { createLogger, type Logger } from '../../electron/station/util/log';
import { DEFAULT_ADB_PORT } from './adbd';
import { JavaAgentHost } from './java-agent/java-agent-host';
import { JavaPhoneAgent } from './java-agent/java-phone-agent';
import { VirtualPhone, type AgentFactory } from './virtual-phone';
import { SimulatedWhatsApp, type Scenario } from './whatsapp';

/** Outside 5555-5585, the loopback ports the adb server probes for emulators by itself. */
export const DEFAULT_BASE_PORT = 27100;
/** Phones plugged at once: adb connect is quick, but dozens of parallel adb processes are not. */
const PLUG_BATCH = 8;

export interface VirtualPhoneFarmOptions {
  count: number;
  /** First phone's port; 0 = every phone on an ephemeral port (tests). Default 27100. */
  basePort?: number;
  adbPort?: number;
  scenario?: Scenario;
  /** Default: the simulated agent. */
  agentFactory?: AgentFactory;
  /**
   * Which agent the phones run once the station starts it: the TypeScript simulated agent (default), or
   * the real Java agent core in one JVM for the whole farm (`--agent java`).
   */
  agent?: AgentKind;
  log?: Logger;
}

export type AgentKind = 'simulated' | 'java';
export const AGENT_KINDS: readonly AgentKind[] = ['simulated', 'java'];

export class VirtualPhoneFarm {
  readonly whatsapp: SimulatedWhatsApp;
  readonly phones: VirtualPhone[];
  private readonly log: Logger;
  private javaHost: JavaAgentHost | null = null;

  constructor(private readonly options: VirtualPhoneFarmOptions) {
    if (!Number.isInteger(options.count) || options.count < 1) {
      throw new Error(`a farm needs a whole number of phones >= 1, got ${options.count}`);
    }
    const basePort = options.basePort ?? DEFAULT_BASE_PORT;
    if (basePort !== 0 && (basePort < 1024 || basePort + options.count - 1 > 65535)) {
      throw new Error(`ports ${basePort}..${basePort + options.count - 1} are not all usable TCP ports (1024-65535)`);
    }
    if (basePort !== 0 && basePort <= 5585 && basePort + options.count - 1 >= 5555) {
      throw new Error(`ports ${basePort}..${basePort + options.count - 1} overlap 5555-5585, which adb probes for emulators`);
    }
    this.log = options.log ?? createLogger('virtual-phone-farm');
    this.whatsapp = new SimulatedWhatsApp({ scenario: options.scenario, log: this.log.child({ part: 'whatsapp' }) });
    const javaFactory: AgentFactory = (opts) => {
      if (!this.javaHost) throw new Error('the Java agent host is not running (the farm was not started)');
      return new JavaPhoneAgent(this.javaHost, opts.whatsapp, opts.device, opts.log);
    };
    const agentFactory = options.agentFactory ?? (options.agent === 'java' ? javaFactory : undefined);
    this.phones = Array.from(
      { length: options.count },
      (_, i) =>
        new VirtualPhone({
          index: i + 1,
          port: basePort === 0 ? 0 : basePort + i,
          adbPort: options.adbPort ?? DEFAULT_ADB_PORT,
          whatsapp: this.whatsapp,
          agentFactory,
          log: this.log,
        }),
    );
  }

  /** Starts every phone's adbd, then plugs them in batches; fails if any phone cannot be plugged. */
  async start(): Promise<void> {
    if (this.options.agent === 'java' && !this.options.agentFactory) {
      this.javaHost = await JavaAgentHost.start(this.log.child({ part: 'java-agent' }));
    }
    await Promise.all(this.phones.map((p) => p.start()));
    this.whatsapp.start();
    for (let i = 0; i < this.phones.length; i += PLUG_BATCH) {
      await Promise.all(this.phones.slice(i, i + PLUG_BATCH).map((p) => p.plug()));
    }
    this.log.info(`${this.phones.length} virtual phones plugged into adb on port ${this.options.adbPort ?? DEFAULT_ADB_PORT}`);
  }

  /** Unplugs and stops every phone (and their agents), then the network. */
  async stop(): Promise<void> {
    await Promise.all(this.phones.map((p) => p.stop()));
    this.whatsapp.stop();
    await this.javaHost?.stop();
    this.javaHost = null;
  }
}
