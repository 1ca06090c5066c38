/**
 * The headless station core: builds its components, starts them in order and stops them in reverse.
 * It runs inside the Electron main process and on its own under `npm run serve`; nothing here imports
 * electron.
 */
import type { LineView } from './api/types';
import { emptyConfig, type StationConfig } from './config/schema';
import { DeviceManager, type DeviceManagerOptions } from './devices/device-manager';
import { listLines } from './lines/line-registry';
import { createLogger } from './util/log';

export interface StationOptions {
  config?: StationConfig;
  devices?: DeviceManagerOptions;
}

export const STATION_VERSION = '0.1.0';

export class Station {
  readonly devices: DeviceManager;
  readonly config: StationConfig;
  private readonly log = createLogger('station');

  constructor(opts: StationOptions = {}) {
    this.config = opts.config ?? emptyConfig();
    this.devices = new DeviceManager({ software: STATION_VERSION, ...opts.devices });
  }

  async start(): Promise<void> {
    await this.devices.start();
    this.log.info('station started');
  }

  async stop(): Promise<void> {
    await this.devices.stop();
    this.log.info('station stopped');
  }

  lines(): LineView[] {
    return listLines(this.devices);
  }
}
