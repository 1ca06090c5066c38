/**
 * Finds phones through the adb server and keeps one supervisor per serial.
 *
 * It starts the adb server if none runs, tracks devices with adbkit, debounces each serial's changes
 * (a replugged cable flaps offline/device within milliseconds), and survives the adb server itself
 * going away: when the tracking connection ends, every device is marked lost, the server is started
 * again and tracking resumes; the phones that come back are prepared again from scratch.
 */
import { Adb, type Client, type Device } from './adbkit';
import { DEFAULT_ADB, startAdbServer, type AdbServerAddress } from './adb-host';
import { DEFAULT_ARTIFACTS, type AgentArtifacts } from './device-commands';
import type { AdbDeviceType } from './device-state';
import { DeviceSupervisor, type DeviceSnapshot } from './device-supervisor';
import { Backoff, sleep } from '../util/backoff';
import { Emitter } from '../util/emitter';
import { createLogger, type Logger } from '../util/log';

export interface DeviceManagerOptions {
  adb?: Partial<AdbServerAddress>;
  artifacts?: AgentArtifacts;
  /** The station's version, sent in the agent hello. */
  software?: string;
  /** How long a serial's adb state must hold before the supervisor acts on it. */
  debounceMs?: number;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  log?: Logger;
}

export type DeviceManagerEvents = {
  change: [DeviceSnapshot];
  added: [DeviceSupervisor];
  /** The adb server went away and tracking is being restored. */
  'adb-restart': [reason: string];
};

export class DeviceManager extends Emitter<DeviceManagerEvents> {
  readonly adb: AdbServerAddress;
  readonly client: Client;
  private readonly supervisors = new Map<string, DeviceSupervisor>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly log: Logger;
  private tracker: { end(): unknown } | null = null;
  private stopped = false;
  private readonly backoff = new Backoff(200, 5_000);

  constructor(private readonly opts: DeviceManagerOptions = {}) {
    super();
    this.adb = { ...DEFAULT_ADB, ...opts.adb };
    this.log = opts.log ?? createLogger('devices');
    this.client = Adb.createClient({ host: this.adb.host, port: this.adb.port, bin: this.adb.bin });
  }

  get devices(): DeviceSupervisor[] {
    return [...this.supervisors.values()];
  }

  get(serial: string): DeviceSupervisor | undefined {
    return this.supervisors.get(serial);
  }

  async start(): Promise<void> {
    await startAdbServer(this.adb);
    await this.track();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.tracker?.end();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    await Promise.all(this.devices.map((s) => s.stop()));
  }

  private async track(): Promise<void> {
    const tracker = await this.client.trackDevices();
    this.tracker = tracker;
    this.backoff.reset();
    this.log.info(`tracking devices on the adb server at ${this.adb.host}:${this.adb.port}`);
    const seen = new Set<string>();
    tracker.on('add', (d: Device) => {
      seen.add(d.id);
      this.schedule(d.id, d.type);
    });
    tracker.on('change', (d: Device) => this.schedule(d.id, d.type));
    tracker.on('remove', (d: Device) => this.schedule(d.id, null));
    let ended = false;
    const onEnd = (why: string): void => {
      if (ended) return;
      ended = true;
      void this.recover(why);
    };
    tracker.on('end', () => onEnd('the adb server closed the tracking connection'));
    tracker.on('error', (err: Error) => onEnd(`device tracking failed: ${err.message}`));
    // adbkit's tracker may emit the first device list before these listeners are attached, so ask for
    // it once more; the debounce folds the duplicates.
    const present = await this.client.listDevices();
    for (const d of present) {
      seen.add(d.id);
      this.schedule(d.id, d.type);
    }
    // Devices the previous server knew but this one does not list are gone.
    for (const serial of this.supervisors.keys()) if (!seen.has(serial)) this.schedule(serial, null);
  }

  /** The adb server died: everything it carried is gone; start it again and track anew. */
  private async recover(reason: string): Promise<void> {
    if (this.stopped) return;
    this.log.warn(`${reason}; restarting the adb server`);
    this.emit('adb-restart', reason);
    for (const s of this.supervisors.values()) s.lost('the adb server went away; waiting for it to come back');
    while (!this.stopped) {
      await sleep(this.backoff.next());
      try {
        await startAdbServer(this.adb);
        await this.track();
        return;
      } catch (err) {
        this.log.warn(`adb server not back yet: ${(err as Error).message}`);
      }
    }
  }

  /** Debounces a serial's adb state; `null` means removed. */
  private schedule(serial: string, type: AdbDeviceType | null): void {
    const prev = this.pending.get(serial);
    if (prev) clearTimeout(prev);
    const delay = this.opts.debounceMs ?? 150;
    this.pending.set(
      serial,
      setTimeout(() => {
        this.pending.delete(serial);
        if (!this.stopped) this.apply(serial, type);
      }, delay),
    );
  }

  private apply(serial: string, type: AdbDeviceType | null): void {
    let sup = this.supervisors.get(serial);
    if (type === null) {
      sup?.lost();
      return;
    }
    if (!sup) {
      sup = new DeviceSupervisor(serial, {
        client: this.client,
        adb: this.adb,
        artifacts: this.opts.artifacts ?? DEFAULT_ARTIFACTS,
        software: this.opts.software ?? '0.1.0',
        log: this.log,
        pingIntervalMs: this.opts.pingIntervalMs,
        pingTimeoutMs: this.opts.pingTimeoutMs,
      });
      sup.on('change', (snap) => this.emit('change', snap));
      this.supervisors.set(serial, sup);
      this.emit('added', sup);
    }
    sup.update(type);
  }
}
