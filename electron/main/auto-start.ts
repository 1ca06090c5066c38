/**
 * The desktop app starting at login, as the `desktop.startAtLogin` setting says. On Linux an XDG
 * autostart entry (`$XDG_CONFIG_HOME/autostart/sip2wa-station.desktop`, the Desktop Application
 * Autostart Specification), which every XDG desktop (GNOME, KDE, Xfce...) runs at login; on Windows and
 * macOS Electron's login item (`app.setLoginItemSettings`). Electron is handed in, so this module runs
 * (and is tested) without it. A rack PC without a desktop runs the service instead
 * (packaging/systemd, README "Run as a service").
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const AUTOSTART_FILE = 'sip2wa-station.desktop';

export interface AutoStartHost {
  platform: NodeJS.Platform;
  /** The app's executable and arguments (process.execPath, plus the app folder in development). */
  exec: string;
  args: readonly string[];
  /** Electron's `app.setLoginItemSettings` (Windows, macOS). */
  setLoginItem(openAtLogin: boolean): void;
  env?: NodeJS.ProcessEnv;
}

/** Quotes one argument of a desktop entry's Exec key (the specification's quoting rules). */
function execArg(arg: string): string {
  if (/^[A-Za-z0-9_./:=+-]+$/.test(arg)) return arg;
  return `"${arg.replace(/[`"$\\]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
}

/** The XDG autostart entry that starts the app at login. */
export function desktopEntry(exec: string, args: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=sip2wa station',
    'Comment=SIP <-> WhatsApp gateway: the operator console',
    `Exec=${[exec, ...args].map(execArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Where the autostart entry goes: $XDG_CONFIG_HOME/autostart, ~/.config/autostart by default. */
export function autostartDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');
}

/** Makes the app start at login, or not; returns where that is kept, for the log. */
export async function applyAutoStart(on: boolean, host: AutoStartHost): Promise<string> {
  if (host.platform === 'win32' || host.platform === 'darwin') {
    host.setLoginItem(on);
    return 'the login items';
  }
  const dir = autostartDir(host.env);
  const file = join(dir, AUTOSTART_FILE);
  if (on) {
    await mkdir(dir, { recursive: true });
    await writeFile(file, desktopEntry(host.exec, host.args), { mode: 0o644 });
  } else {
    await rm(file, { force: true });
  }
  return file;
}
