/**
 * A virtual phone: an Android phone on "USB" as the station sees it through adb, with no hardware.
 *
 * The adb device side (adbd/) listens on 127.0.0.1:port; `plug()` registers it with the real adb server
 * (`adb connect`), so `adb devices`, the adb CLI and adbkit list it. Its shell answers getprop, dumpsys
 * battery and process tools, and starts the agent the way a real phone runs the agent jar with
 * app_process: the virtual phone runs a simulated agent when the pushed CLASSPATH file is the virtual
 * agent build (a text file whose first line is `sip2wa-virtual-agent`).
 *
 * ```
 *  stopped --start()--> unplugged --plug()--> plugged --unplug()--> unplugged --stop()--> stopped
 *                                    plugged --adb server gone--> (re-plugs itself once it is back)
 * ```
 */
import type { Duplex } from 'node:stream';
import { createLogger, type Logger } from '../../electron/station/util/log';
import {
  AbstractSockets,
  AdbDeviceServer,
  DEFAULT_ADB_PORT,
  MemoryFs,
  MiniShell,
  ProcessTable,
  connectAdbDevice,
  createServiceRouter,
  deviceBanner,
  disconnectAdbDevice,
  isAdbServerRunning,
  registerAndroidCommands,
  registerBuiltins,
  type CommandResult,
} from './adbd';
import { SimulatedAgent, type GarbageKind } from './agent';
import type { AccountState } from '../protocol';
import type { VirtualDeviceInfo } from './device-info';
import type { SimulatedWhatsApp } from './whatsapp';

export const AGENT_MAIN_CLASS = 'org.sip2wa.agent.Main';
export const DEFAULT_AGENT_SOCKET = 'sip2wa_agent';
/** First line of the virtual agent build; any other CLASSPATH content does not contain the class. */
export const VIRTUAL_AGENT_MARKER = 'sip2wa-virtual-agent';
/** Product name and device codename in the adb banner and getprop. */
const PRODUCT_NAME = 'sip2wa_virtual';
const PRODUCT_DEVICE = 'sip2wa_vp';
/** How often a plugged phone checks that adb still has it (after `adb kill-server` it must come back). */
const REPLUG_CHECK_MS = 500;

/** How the agent's next frame is broken (the simulated agent's test hook). */
export type GarbleKind = GarbageKind;

/** What the phone needs from its agent: the simulated agent's control surface. */
export interface PhoneAgent {
  attach(socket: Duplex): void;
  crash(): void;
  stop(): void;
  garbleNextFrame(kind?: GarbleKind): void;
  /** The phone's battery or temperature changed; an agent that reports it at once does so. */
  deviceChanged?(): void;
}

export interface AgentFactoryOptions {
  whatsapp: SimulatedWhatsApp;
  device: VirtualDeviceInfo;
  protocolVersion?: number;
  log: Logger;
}

/** Builds the agent when app_process starts it; the seam lets tests run a stand-in agent. */
export type AgentFactory = (opts: AgentFactoryOptions) => PhoneAgent;

/** The simulated agent on the simulated WhatsApp network. */
export const simulatedAgentFactory: AgentFactory = (opts) => new SimulatedAgent(opts);

export interface VirtualPhoneOptions {
  /** Phone number in the farm; it derives the serial number and the account. */
  index: number;
  /** adbd's TCP port on 127.0.0.1; 0 = any free port. Keep it outside 5555-5585 (adb probes those). */
  port: number;
  /** The adb server's port. Default 5037. */
  adbPort?: number;
  device?: Partial<VirtualDeviceInfo>;
  whatsapp: SimulatedWhatsApp;
  /** Protocol version the agent speaks (tests set another one to provoke a mismatch). */
  agentProtocolVersion?: number;
  /** Default: simulatedAgentFactory. */
  agentFactory?: AgentFactory;
  log?: Logger;
}

export function defaultDeviceInfo(index: number): VirtualDeviceInfo {
  const nnnn = String(index).padStart(4, '0');
  return {
    serialNo: `VP${nnnn}`,
    manufacturer: 'sip2wa',
    model: 'Virtual Phone',
    androidVersion: '14',
    sdk: 34,
    account: `1555020${nnnn}`,
    whatsappVersion: '2.24.25.78',
    batteryLevel: 80,
    charging: true,
    temperatureDeciC: 300,
    networkType: 'wifi',
    signalLevel: 4,
  };
}

interface RunningAgent {
  agent: PhoneAgent;
  pid: number;
  unbind: () => void;
}

export class VirtualPhone {
  readonly fs = new MemoryFs();
  readonly sockets = new AbstractSockets();
  readonly processes = new ProcessTable();
  readonly shell: MiniShell;
  private readonly info: VirtualDeviceInfo;
  private readonly server: AdbDeviceServer;
  private readonly log: Logger;
  private running: RunningAgent | null = null;
  private plugged = false;
  private replugTimer: NodeJS.Timeout | null = null;
  private replugging = false;

  constructor(private readonly options: VirtualPhoneOptions) {
    this.info = { ...defaultDeviceInfo(options.index), ...options.device };
    this.log = (options.log ?? createLogger('virtual-phone')).child({ phone: this.info.serialNo });
    this.shell = new MiniShell(this.fs);
    registerBuiltins(this.shell);
    registerAndroidCommands(this.shell, {
      props: () => this.props(),
      battery: () => ({
        level: this.info.batteryLevel,
        charging: this.info.charging,
        temperatureDeciC: this.info.temperatureDeciC,
      }),
      processes: this.processes,
      javaPrograms: new Map([[AGENT_MAIN_CLASS, (launch) => this.launchAgent(launch.jar, launch.args)]]),
    });
    this.server = new AdbDeviceServer({
      banner: deviceBanner({ name: PRODUCT_NAME, model: this.info.model, device: PRODUCT_DEVICE }),
      services: createServiceRouter({
        shell: async (line) => (await this.shell.run(line)).output,
        fs: this.fs,
        sockets: this.sockets,
        log: this.log,
      }),
      log: this.log,
    });
  }

  /** The adb serial, `127.0.0.1:PORT` (valid after start()). */
  get serial(): string {
    return `127.0.0.1:${this.server.port || this.options.port}`;
  }

  get port(): number {
    return this.server.port;
  }

  /** The phone's description, shared with its agent: change the battery here and both paths see it. */
  get device(): VirtualDeviceInfo {
    return this.info;
  }

  /**
   * Changes what the phone reports (battery, charging, temperature...), and tells its agent, as a phone's
   * battery broadcast would: `phone.updateDevice({ temperatureDeciC: 480 })` makes it hot.
   */
  updateDevice(change: Partial<Omit<VirtualDeviceInfo, 'serialNo' | 'account'>>): void {
    Object.assign(this.info, change);
    this.running?.agent.deviceChanged?.();
  }

  /** Puts the phone's WhatsApp account in a state (banned, logged out...) on the simulated network. */
  setAccountState(state: AccountState): void {
    this.options.whatsapp.setAccountState(this.info.account, state);
  }

  get agentRunning(): boolean {
    return this.running !== null;
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  /** Whether an adb server holds a connection to the phone now (after `adb kill-server`: not until it re-plugs). */
  get adbConnected(): boolean {
    return this.server.connectionCount > 0;
  }

  /** Android properties as getprop lists them. */
  props(): Record<string, string> {
    return {
      'ro.serialno': this.info.serialNo,
      'ro.boot.serialno': this.info.serialNo,
      'ro.product.model': this.info.model,
      'ro.product.manufacturer': this.info.manufacturer,
      'ro.product.brand': this.info.manufacturer,
      'ro.product.name': PRODUCT_NAME,
      'ro.product.device': PRODUCT_DEVICE,
      'ro.product.cpu.abi': 'arm64-v8a',
      'ro.build.version.release': this.info.androidVersion,
      'ro.build.version.sdk': String(this.info.sdk),
      'ro.build.type': 'user',
      'ro.sip2wa.virtual': '1',
      'sys.boot_completed': '1',
      'persist.sys.timezone': 'UTC',
    };
  }

  /** Starts adbd (not yet known to adb: call plug()). */
  async start(): Promise<void> {
    await this.server.listen(this.options.port);
    this.log.debug(`adbd listening on ${this.serial}`);
  }

  /** `adb connect`s the phone and waits until adb lists it as `device`. */
  async plug(): Promise<void> {
    if (!this.server.port) throw new Error(`virtual phone ${this.info.serialNo} cannot be plugged before start()`);
    await connectAdbDevice(this.adbPort, this.serial);
    this.plugged = true;
    this.watchAdbServer();
    this.log.info(`plugged in as ${this.serial}`);
  }

  /** Pulls the cable: adb forgets the phone and every tunnel breaks. The agent keeps running. */
  async unplug(): Promise<void> {
    this.plugged = false;
    this.stopWatching();
    await disconnectAdbDevice(this.adbPort, this.serial);
    this.server.dropConnections();
    this.log.info('unplugged');
  }

  /**
   * The phone hangs (a ghost): adb still lists it, but it answers nothing, agent traffic included.
   * `hang(false)` brings it back.
   */
  hang(hung = true): void {
    this.server.setFrozen(hung);
    this.log.info(hung ? 'hung: answering nothing' : 'answering again');
  }

  /** The agent dies abruptly (its connections are destroyed, nothing is said). */
  crashAgent(): void {
    const r = this.takeAgent();
    if (r) {
      r.agent.crash();
      this.log.info(`agent (pid ${r.pid}) crashed`);
    }
  }

  /** The agent's next frame to the station is malformed. Throws when no agent runs. */
  garbleNextFrame(kind: GarbleKind = 'unknown-type'): void {
    if (!this.running) throw new Error(`cannot garble a frame on ${this.info.serialNo}: no agent is running`);
    this.running.agent.garbleNextFrame(kind);
  }

  async stop(): Promise<void> {
    if (this.plugged) await this.unplug();
    await this.server.close();
    this.stopAgent();
  }

  /** Stops the agent cleanly (what `pkill -f org.sip2wa.agent` does). */
  stopAgent(): void {
    const r = this.takeAgent();
    if (r) {
      r.agent.stop();
      this.log.info(`agent (pid ${r.pid}) stopped`);
    }
  }

  private get adbPort(): number {
    return this.options.adbPort ?? DEFAULT_ADB_PORT;
  }

  private takeAgent(): RunningAgent | null {
    const r = this.running;
    this.running = null;
    if (r) {
      r.unbind();
      this.processes.exited(r.pid);
    }
    return r;
  }

  /** `app_process / org.sip2wa.agent.Main --socket NAME [--daemon]` with CLASSPATH=the pushed build. */
  private launchAgent(jar: Buffer, args: string[]): CommandResult | null {
    if (jar.toString('utf8').split('\n', 1)[0]!.trim() !== VIRTUAL_AGENT_MARKER) return null;
    const s = args.indexOf('--socket');
    const socketName = s >= 0 && args[s + 1] ? args[s + 1]! : DEFAULT_AGENT_SOCKET;
    // Like the real agent with --daemon, a second start leaves the running one alone.
    if (this.running) return {};
    const agent = (this.options.agentFactory ?? simulatedAgentFactory)({
      whatsapp: this.options.whatsapp,
      device: this.info,
      protocolVersion: this.options.agentProtocolVersion,
      log: this.log,
    });
    let unbind: () => void;
    try {
      unbind = this.sockets.listen(socketName, (stream) => agent.attach(stream));
    } catch (err) {
      agent.stop();
      return { stderr: `sip2wa-agent: ${(err as Error).message}\n`, code: 1 };
    }
    const cmdline = `app_process / ${AGENT_MAIN_CLASS} ${args.join(' ')}`.trim();
    const proc = this.processes.spawn('app_process', cmdline, () => {
      if (this.running?.pid === proc.pid) this.stopAgent();
    });
    this.running = { agent, pid: proc.pid, unbind };
    this.log.info(`agent started (pid ${proc.pid}) on @${socketName}`);
    return { stdout: `sip2wa-agent: listening on @${socketName}\n` };
  }

  /**
   * A USB phone comes back by itself when the adb server restarts; a TCP one does not. So while
   * plugged, notice when adb dropped us, wait until a server listens again, and `adb connect` again.
   */
  private watchAdbServer(): void {
    this.stopWatching();
    this.replugTimer = setInterval(() => void this.replugIfDropped(), REPLUG_CHECK_MS);
    this.replugTimer.unref();
  }

  private stopWatching(): void {
    if (this.replugTimer) clearInterval(this.replugTimer);
    this.replugTimer = null;
  }

  private async replugIfDropped(): Promise<void> {
    if (!this.plugged || this.replugging || this.server.connectionCount > 0) return;
    this.replugging = true;
    try {
      // Never let `adb connect` start a server of its own: only reconnect to one somebody started.
      if (!(await isAdbServerRunning(this.adbPort))) return;
      await connectAdbDevice(this.adbPort, this.serial, 5_000);
      // unplug() ran while we reconnected: the cable is out, so undo the reconnection.
      if (!this.plugged) await disconnectAdbDevice(this.adbPort, this.serial);
      else this.log.info('adb server came back: plugged in again');
    } catch (err) {
      this.log.debug(`re-plug failed, will retry: ${(err as Error).message}`);
    } finally {
      this.replugging = false;
    }
  }
}
