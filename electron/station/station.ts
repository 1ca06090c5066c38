/**
 * The headless station core: builds its components, starts them in order and stops them in reverse.
 * It runs inside the Electron main process and on its own under `npm run serve`; nothing here imports
 * electron.
 *
 * Start order: SIP safety and timers, the media engine (worker threads), the device manager (adb),
 * then the lines (which register once their phone is ready).
 */
import type { LineView } from './api/types';
import { MessageLog } from './calllog/message-log';
import { emptyConfig, type StationConfig } from './config/schema';
import { DeviceManager, type DeviceManagerOptions } from './devices/device-manager';
import { Line } from './lines/line';
import { listLines } from './lines/line-registry';
import { MediaEngine } from './media/media-engine';
import { installSipSafety } from './sip/sip-safety';
import { configureSipTimers } from './sip/sip-timers';
import { createLogger } from './util/log';
import { openDatabase, type Db } from './util/sqlite';

export interface StationOptions {
  config?: StationConfig;
  devices?: DeviceManagerOptions;
  /** How long a line stays registered after its phone went (default 10 s). */
  unregisterGraceMs?: number;
  /** The SQLite file for call records, messages and policy counters; in memory when absent. */
  databaseFile?: string;
}

export const STATION_VERSION = '0.1.0';

export class Station {
  readonly devices: DeviceManager;
  readonly config: StationConfig;
  media: MediaEngine | null = null;
  lineList: Line[] = [];
  db: Db | null = null;
  messages: MessageLog | null = null;
  private removeSipSafety: (() => void) | null = null;
  private readonly log = createLogger('station');

  constructor(private readonly opts: StationOptions = {}) {
    this.config = opts.config ?? emptyConfig();
    this.devices = new DeviceManager({ software: STATION_VERSION, ...opts.devices });
  }

  async start(): Promise<void> {
    this.removeSipSafety = installSipSafety();
    configureSipTimers();
    this.db = openDatabase(this.opts.databaseFile ?? ':memory:');
    this.messages = new MessageLog(this.db);
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
    for (const line of this.lineList) {
      this.wireMessages(line);
      line.start();
    }
    this.log.info(`station started: ${this.lineList.length} configured lines`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.lineList.map((l) => l.stop()));
    await this.devices.stop();
    await this.media?.stop();
    this.db?.close();
    this.removeSipSafety?.();
    this.log.info('station stopped');
  }

  /** Records a line's WhatsApp messages and forwards them by the configured rules. */
  private wireMessages(line: Line): void {
    const id = line.config.id;
    line.on('auto-reply', (r) => this.messages?.record({ lineId: id, direction: 'auto-reply', peer: r.to, name: '', text: r.text, at: Date.now() }));
    line.on('whatsapp-message', (m) => {
      this.messages?.record({ lineId: id, direction: 'received', peer: m.from, name: m.name, text: m.text, at: m.time || Date.now() });
      for (const rule of this.config.messages.forward) {
        if (rule.line && rule.line !== id) continue;
        const to = rule.toNumber ?? `group:${rule.toGroup}`;
        const text = `From +${m.from}${m.name ? ` (${m.name})` : ''} on ${id}: ${m.text}`;
        if (line.sendMessage(to, text)) this.messages?.record({ lineId: id, direction: 'forwarded', peer: to, name: '', text, at: Date.now() });
        else this.log.warn(`line ${id}: could not forward a message to ${to}: the phone is not reachable`);
      }
    });
  }

  lines(): LineView[] {
    return listLines(this.lineList, this.devices);
  }

  line(id: string): Line | undefined {
    return this.lineList.find((l) => l.config.id === id);
  }
}
