/**
 * The headless station core: builds its components, starts them in order and stops them in reverse.
 * It runs inside the Electron main process and on its own under `npm run serve`; nothing here imports
 * electron.
 *
 * Start order: SIP safety and timers, the media engine (worker threads), the device manager (adb),
 * then the lines (which register once their phone is ready).
 */
import type { LineView } from './api/types';
import { emptyConfig, type StationConfig } from './config/schema';
import { DeviceManager, type DeviceManagerOptions } from './devices/device-manager';
import { Line } from './lines/line';
import { listLines } from './lines/line-registry';
import { MediaEngine } from './media/media-engine';
import { installSipSafety } from './sip/sip-safety';
import { configureSipTimers } from './sip/sip-timers';
import { createLogger } from './util/log';

export interface StationOptions {
  config?: StationConfig;
  devices?: DeviceManagerOptions;
  /** How long a line stays registered after its phone went (default 10 s). */
  unregisterGraceMs?: number;
}

export const STATION_VERSION = '0.1.0';

export class Station {
  readonly devices: DeviceManager;
  readonly config: StationConfig;
  media: MediaEngine | null = null;
  lineList: Line[] = [];
  private removeSipSafety: (() => void) | null = null;
  private readonly log = createLogger('station');

  constructor(private readonly opts: StationOptions = {}) {
    this.config = opts.config ?? emptyConfig();
    this.devices = new DeviceManager({ software: STATION_VERSION, ...opts.devices });
  }

  async start(): Promise<void> {
    this.removeSipSafety = installSipSafety();
    configureSipTimers();
    this.media = await MediaEngine.start();
    await this.devices.start();
    const pbxById = new Map(this.config.pbx.map((p) => [p.id, p]));
    this.lineList = this.config.lines.map(
      (cfg) =>
        new Line(cfg, pbxById.get(cfg.pbx)!, {
          devices: this.devices,
          media: this.media!,
          mediaConfig: this.config.media,
          unregisterGraceMs: this.opts.unregisterGraceMs,
        }),
    );
    for (const line of this.lineList) line.start();
    this.log.info(`station started: ${this.lineList.length} configured lines`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.lineList.map((l) => l.stop()));
    await this.devices.stop();
    await this.media?.stop();
    this.removeSipSafety?.();
    this.log.info('station stopped');
  }

  lines(): LineView[] {
    return listLines(this.lineList, this.devices);
  }

  line(id: string): Line | undefined {
    return this.lineList.find((l) => l.config.id === id);
  }
}
