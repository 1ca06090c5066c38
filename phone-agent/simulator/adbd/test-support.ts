/**
 * Shared by the simulator's tests: a private adb server on a free port (never 5037), and a bare adbd
 * with a shell, a filesystem and abstract sockets but no agent.
 */
import { createLogger } from '../../../electron/station/util/log';
import { AbstractSockets } from './abstract-sockets';
import { startAdbServer } from './adb-host-cli';
import { AdbDeviceServer, deviceBanner } from './device-server';
import { freePort } from '../../../test/support/ports';
import { MemoryFs } from './memory-fs';
import { createServiceRouter } from './services/service-router';
import { registerBuiltins } from './shell/builtins';
import { MiniShell } from './shell/mini-shell';

export { freePort };

/** Starts an adb server on a free port of its own; the caller kills it with killAdbServer. */
export async function startPrivateAdbServer(): Promise<number> {
  const port = await freePort();
  await startAdbServer(port);
  return port;
}

export interface BareAdbd {
  server: AdbDeviceServer;
  fs: MemoryFs;
  sockets: AbstractSockets;
  shell: MiniShell;
  port: number;
  serial: string;
}

export async function startBareAdbd(props: Record<string, string>): Promise<BareAdbd> {
  const log = createLogger('test-adbd');
  const fs = new MemoryFs();
  const sockets = new AbstractSockets();
  const shell = new MiniShell(fs);
  registerBuiltins(shell);
  shell.register('getprop', ({ args }) => ({
    stdout: args[0] ? `${props[args[0]] ?? ''}\n` : Object.entries(props).map(([k, v]) => `[${k}]: [${v}]\n`).join(''),
  }));
  const services = createServiceRouter({ shell: async (line) => (await shell.run(line)).output, fs, sockets, log });
  const server = new AdbDeviceServer({
    banner: deviceBanner({ name: 'bare', model: 'Bare_Adbd', device: 'bare' }),
    services,
    log,
  });
  const port = await server.listen(0);
  return { server, fs, sockets, shell, port, serial: `127.0.0.1:${port}` };
}
