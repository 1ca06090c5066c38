/**
 * Where the desktop app keeps things. The configuration and the database live in the per-user data
 * folder (`~/.config/sip2wa-station` on Linux, `%APPDATA%\sip2wa-station` on Windows,
 * `~/Library/Application Support/sip2wa-station` on macOS). Code and the console come from the app
 * root (the checkout in development, app.asar when packaged); the phone agent's builds are
 * extraResources when packaged, since adb pushes them as files.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentArtifacts } from '../station/devices/device-commands';

export const USER_DATA_FOLDER = 'sip2wa-station';

export interface AppPaths {
  userData: string;
  configFile: string;
  databaseFile: string;
  /** The console's build (renderer/dist). */
  rendererDir: string;
  /** The bundled preload (dist/electron/preload.cjs). */
  preloadFile: string;
  iconFile: string;
  agents: AgentArtifacts;
}

export interface PathSource {
  /** Electron's appData folder (app.getPath('appData')). */
  appData: string;
  isPackaged: boolean;
  /** process.resourcesPath when packaged. */
  resourcesPath: string;
}

/**
 * The folder holding the app's package.json above this module: the checkout when run from source or
 * from dist/electron/main/, app.asar when packaged (Electron's fs reads inside the archive).
 */
export function findAppRoot(from = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: the app's files are incomplete`);
  }
}

export const APP_ROOT = findAppRoot();

export function appPaths(src: PathSource, root = APP_ROOT): AppPaths {
  const userData = join(src.appData, USER_DATA_FOLDER);
  const agentsDir = src.isPackaged ? join(src.resourcesPath, 'agent') : null;
  return {
    userData,
    configFile: join(userData, 'station.json'),
    databaseFile: join(userData, 'station.db'),
    rendererDir: join(root, 'renderer', 'dist'),
    preloadFile: join(root, 'dist', 'electron', 'preload.cjs'),
    iconFile: join(root, 'assets', 'icons', 'icon.png'),
    agents: {
      android: agentsDir ? join(agentsDir, 'sip2wa-agent.jar') : join(root, 'phone-agent', 'android', 'build', 'sip2wa-agent.jar'),
      virtual: agentsDir ? join(agentsDir, 'virtual-agent.jar') : join(root, 'phone-agent', 'simulator', 'virtual-agent.jar'),
    },
  };
}
