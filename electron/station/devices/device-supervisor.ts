/**
 * One supervisor per phone serial: it takes the phone from "adb lists it" to "an agent link is open",
 * keeps it there, and brings it back after every fault (agent crash, garbled frame, lost tunnel,
 * adb server restart), retrying with backoff. Every forward and socket it acquires is registered in a
 * cleanup registry and released when the link drops or the phone goes.
 *
 * The state diagram is in device-state.ts.
 */
import type { Client } from './adbkit';
import { forwardToDevice, removeForward, type AdbServerAddress } from './adb-host';
import { AgentLink, AgentLinkError, type AgentInfo } from './agent-link';
import {
  AGENT_SOCKET,
  agentArtifactFor,
  pushAgent,
  readProps,
  startAgent,
  stopAgent,
  type AgentArtifacts,
} from './device-commands';
import type { AdbDeviceType, DeviceProps, DeviceState } from './device-state';
import { Backoff, sleep } from '../util/backoff';
import { CleanupRegistry } from '../util/cleanup';
import { Emitter } from '../util/emitter';
import type { Logger } from '../util/log';

export interface DeviceSnapshot {
  serial: string;
  state: DeviceState;
  /** What the current state is doing or waiting for, in words. */
  detail: string;
  /** When the device entered its current state (ms since epoch). */
  since: number;
  /** The last fault seen on this device, kept after recovery so the operator can see what happened. */
  lastError: { message: string; at: number } | null;
  props: DeviceProps | null;
  agent: AgentInfo | null;
  /** Round trip of the last agent ping, in milliseconds. */
  pingRttMs: number | null;
}

export interface SupervisorContext {
  client: Client;
  adb: AdbServerAddress;
  artifacts: AgentArtifacts;
  software: string;
  log: Logger;
  /** Link timings; tests shorten them. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
}

export type SupervisorEvents = {
  change: [DeviceSnapshot];
  /** A new agent link is open (after every reconnect). */
  link: [AgentLink];
};

/** How long the agent gets to come up after it was started. */
const AGENT_START_ATTEMPTS = 10;
const AGENT_START_INTERVAL_MS = 300;

export class DeviceSupervisor extends Emitter<SupervisorEvents> {
  private snapshot: DeviceSnapshot;
  private adbType: AdbDeviceType = 'unknown';
  private running = false;
  private generation = 0;
  private readonly cleanup: CleanupRegistry;
  private readonly backoff = new Backoff(250, 15_000);
  private readonly log: Logger;
  link: AgentLink | null = null;

  constructor(
    readonly serial: string,
    private readonly ctx: SupervisorContext,
  ) {
    super();
    this.log = ctx.log.child({ serial });
    this.cleanup = new CleanupRegistry(this.log);
    this.snapshot = { serial, state: 'detected', detail: '', since: Date.now(), lastError: null, props: null, agent: null, pingRttMs: null };
  }

  get state(): DeviceSnapshot {
    return { ...this.snapshot, pingRttMs: this.link?.pingRttMs ?? null };
  }

  /** The adb server reports the device (again) with this type. */
  update(type: AdbDeviceType): void {
    this.adbType = type;
    if (type === 'unauthorized') return this.halt('unauthorized', 'allow USB debugging on the phone (check its screen)');
    if (type === 'offline') return this.halt('offline', 'adb reports the phone offline; reconnect its cable or restart adb on it');
    if (type === 'device' || type === 'emulator') {
      if (!this.running) void this.run();
      return;
    }
    this.halt('detected', `adb reports an unknown state '${type}'`);
  }

  /** The device is gone from adb (unplugged, or the adb server went away). */
  lost(detail = 'unplugged or not answering adb'): void {
    this.adbType = 'unknown';
    this.halt('lost', detail);
  }

  /** Closes the link and forwards; the supervisor does nothing more until the next update(). */
  async stop(): Promise<void> {
    this.halt(this.snapshot.state, 'station stopping');
    await this.cleanup.release();
  }

  /** Drops the link and reconnects from scratch (restart agent action, tests). */
  async restartAgent(): Promise<void> {
    const client = this.ctx.client;
    await stopAgent(client, this.serial).catch(() => undefined);
    this.link?.close('agent restart requested');
  }

  private halt(state: DeviceState, detail: string): void {
    this.generation++;
    this.running = false;
    this.link?.close(detail);
    this.link = null;
    void this.cleanup.release();
    this.set(state, detail);
  }

  private set(state: DeviceState, detail: string, error?: string): void {
    const changed = state !== this.snapshot.state;
    this.snapshot = {
      ...this.snapshot,
      state,
      detail,
      since: changed ? Date.now() : this.snapshot.since,
      lastError: error ? { message: error, at: Date.now() } : this.snapshot.lastError,
    };
    if (changed) this.log.info(`${state}${detail ? ': ' + detail : ''}`);
    this.emit('change', this.state);
  }

  /** The main loop: bring the link up, wait for it to drop, back off, repeat while the phone is there. */
  private async run(): Promise<void> {
    this.running = true;
    const gen = ++this.generation;
    const alive = (): boolean => gen === this.generation && this.running;
    while (alive()) {
      try {
        const link = await this.connect(alive);
        if (!alive()) {
          link.close('device state changed');
          return;
        }
        this.backoff.reset();
        const reason = await this.serve(link);
        if (!alive()) return;
        this.set('failed', `reconnecting: ${reason}`, reason);
      } catch (err) {
        if (!alive()) return;
        const message = (err as Error).message;
        this.log.warn(`preparing failed: ${message}`);
        this.set('failed', message, message);
      } finally {
        if (gen === this.generation) {
          this.link = null;
          await this.cleanup.release();
        }
      }
      if (!alive()) return;
      await sleep(this.backoff.next());
    }
  }

  /** Props, forward, and an agent link; pushes and (re)starts the agent when needed. */
  private async connect(alive: () => boolean): Promise<AgentLink> {
    const { client } = this.ctx;
    // A run that was superseded (the phone went, or came back as another run) must not touch the state.
    const step = (state: DeviceState, detail: string): void => {
      if (!alive()) throw new Error('cancelled');
      this.set(state, detail);
    };
    step('preparing', 'reading the phone properties');
    const props = await readProps(client, this.serial);
    this.snapshot = { ...this.snapshot, props };

    step('forwarding', `forwarding to @${AGENT_SOCKET}`);
    const port = await forwardToDevice(this.ctx.adb, this.serial, `localabstract:${AGENT_SOCKET}`);
    this.cleanup.add(`forward tcp:${port}`, () => removeForward(this.ctx.adb, this.serial, port));

    try {
      return await this.openLink(port);
    } catch (err) {
      if (!(err instanceof AgentLinkError) || !alive()) throw err;
      if (err.code !== 'no-agent' && err.code !== 'version-mismatch' && err.code !== 'not-agent') throw err;
      // No agent, or one of another build: install ours and start it, then connect again.
      step('preparing', err.code === 'no-agent' ? 'installing the agent' : `replacing the agent (${err.message})`);
      const artifact = agentArtifactFor(props, this.ctx.artifacts);
      if (err.code !== 'no-agent') await stopAgent(client, this.serial);
      await pushAgent(client, this.serial, artifact);
      await startAgent(client, this.serial);
      step('forwarding', 'waiting for the agent to listen');
      return await this.waitForAgent(port, alive);
    }
  }

  private async waitForAgent(port: number, alive: () => boolean): Promise<AgentLink> {
    let lastError: Error = new Error('the agent did not start');
    for (let i = 0; i < AGENT_START_ATTEMPTS && alive(); i++) {
      try {
        return await this.openLink(port);
      } catch (err) {
        lastError = err as Error;
        if (err instanceof AgentLinkError && err.code !== 'no-agent') throw err;
        await sleep(AGENT_START_INTERVAL_MS);
      }
    }
    throw new Error(`the agent did not come up: ${lastError.message}`);
  }

  private async openLink(port: number): Promise<AgentLink> {
    const link = await AgentLink.open({
      port,
      log: this.log,
      software: this.ctx.software,
      pingIntervalMs: this.ctx.pingIntervalMs,
      pingTimeoutMs: this.ctx.pingTimeoutMs,
    });
    this.cleanup.add('agent link', () => link.close('device released'));
    return link;
  }

  /** Ready: publishes the link and resolves with the reason it closed. */
  private serve(link: AgentLink): Promise<string> {
    this.link = link;
    this.snapshot = { ...this.snapshot, agent: link.info };
    this.set('ready', `agent ${link.info?.software ?? ''} on WhatsApp ${link.info?.account ?? ''}`.trim());
    this.emit('link', link);
    const offInfo = link.on('info', (info) => {
      this.snapshot = { ...this.snapshot, agent: info };
      this.emit('change', this.state);
    });
    return new Promise((resolve) => {
      link.once('closed', (reason) => {
        offInfo();
        resolve(reason);
      });
    });
  }
}
