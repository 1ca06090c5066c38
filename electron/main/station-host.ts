/**
 * Runs the station core inside the desktop app. With a configuration file in the user's data folder,
 * the station starts with it (passwords opened by the safeStorage codec; a file that still holds plain
 * passwords is sealed on the spot). Without one (first start) it starts in demo mode: virtual phones on
 * their own adb server, so a newcomer sees live lines at once. A configuration the schema refuses does
 * not start: the station runs with no lines and `problem` says why, for the window to show.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { ConfigError, loadConfig, saveConfig } from '../station/config/config-file';
import { emptyConfig, type StationConfig } from '../station/config/schema';
import { hasPlainSecrets, type SecretCodec } from '../station/config/secrets';
import { startDemo, type Demo } from '../station/demo';
import { Station } from '../station/station';
import { createLogger } from '../station/util/log';
import type { AppPaths } from './app-paths';

const log = createLogger('desktop');

export interface StationHostOptions {
  paths: Pick<AppPaths, 'userData' | 'configFile' | 'databaseFile' | 'agents'>;
  codec: SecretCodec;
  /** Demo phones' adb server and ports (tests use private ones). */
  demo?: Parameters<typeof startDemo>[0];
  /** The adb server to use with a configuration (default 5037; tests use a private one). */
  adbPort?: number;
}

export class StationHost {
  station: Station | null = null;
  /** Why the configuration file was not used, for the operator. */
  problem: string | null = null;
  private demo: Demo | null = null;
  private stopping: Promise<void> | null = null;

  constructor(private readonly opts: StationHostOptions) {}

  get isDemo(): boolean {
    return this.demo !== null;
  }

  async start(): Promise<Station> {
    const { paths } = this.opts;
    mkdirSync(paths.userData, { recursive: true, mode: 0o700 });
    let config: StationConfig;
    let adbPort = this.opts.adbPort;
    let databaseFile = paths.databaseFile;
    if (existsSync(paths.configFile)) {
      config = await this.load();
    } else {
      log.info(`no configuration at ${paths.configFile}: starting the demo (virtual phones)`);
      this.demo = await startDemo(this.opts.demo);
      config = this.demo.config;
      adbPort = this.demo.adbPort;
      // Demo calls stay out of the real call log.
      databaseFile = databaseFile.replace(/\.db$/, '-demo.db');
    }
    const codec = this.opts.codec;
    const station = new Station({
      config,
      databaseFile,
      dataDir: paths.userData,
      devices: { artifacts: paths.agents, ...(adbPort ? { adb: { port: adbPort } } : {}) },
      // Settings saved from the console (in demo mode too) go to the configuration file, sealed.
      configFile: paths.configFile,
      persistConfig: async (file, next) => void (await saveConfig(file, next, codec)),
      secrets: codec.kind,
      ...(this.demo ? { demo: this.demo.controls } : {}),
    });
    await station.start();
    this.station = station;
    return station;
  }

  /** Stops the station, then the demo phones; safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.station?.stop();
      await this.demo?.stop();
      log.info('station host stopped');
    })();
    return this.stopping;
  }

  private async load(): Promise<StationConfig> {
    const { paths, codec } = this.opts;
    try {
      const config = await loadConfig(paths.configFile, codec);
      await this.sealPlainPasswords(config);
      log.info(`configuration ${paths.configFile}: ${config.pbx.length} PBX, ${config.lines.length} lines`);
      return config;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.problem = `The configuration was refused, so the station runs without lines: ${err.message}`;
      log.error(this.problem);
      return emptyConfig();
    }
  }

  /** A file written by hand or by serve mode migrates to sealed passwords; if sealing is impossible it stays as it was. */
  private async sealPlainPasswords(config: StationConfig): Promise<void> {
    const { paths, codec } = this.opts;
    if (codec.kind !== 'encrypted' || !hasPlainSecrets(JSON.parse(readFileSync(paths.configFile, 'utf8')))) return;
    try {
      await saveConfig(paths.configFile, config, codec);
      log.info(`configuration ${paths.configFile}: passwords now stored encrypted`);
    } catch (err) {
      log.warn(`configuration ${paths.configFile} still holds plain passwords: ${(err as Error).message}`);
    }
  }
}
