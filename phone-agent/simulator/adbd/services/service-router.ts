/**
 * Which service an OPEN names, and who serves it. Service names follow AOSP's SERVICES.TXT.
 *
 * Served: `shell:CMD`, `shell,OPTS:CMD` (options ignored: we are v1 only), `exec:CMD`, `sync:`,
 * `localabstract:NAME`. Refused with CLSE, like a phone where nothing listens or the feature is off:
 * `tcp:`, `localfilesystem:`, `localreserved:`, `dev:`, `jdwp:`, `reverse:`, `framebuffer:`, and
 * anything unknown.
 */
import type { Logger } from '../../../../electron/station/util/log';
import type { AbstractSockets } from '../abstract-sockets';
import type { ServiceRouter, StreamHandler } from '../device-connection';
import type { MemoryFs } from '../memory-fs';
import { localAbstractService } from './local-abstract';
import { shellService, type ShellRunner } from './shell';
import { syncService } from './sync';

export interface PhoneServices {
  shell: ShellRunner;
  fs: MemoryFs;
  sockets: AbstractSockets;
  log: Logger;
}

export function createServiceRouter(services: PhoneServices): ServiceRouter {
  return {
    open(service: string): StreamHandler | null {
      const colon = service.indexOf(':');
      if (colon < 0) return null;
      const kind = service.slice(0, colon);
      const arg = service.slice(colon + 1);
      if (kind === 'shell' || kind.startsWith('shell,') || kind === 'exec') {
        return shellService(arg, services.shell, services.log);
      }
      if (kind === 'sync') return syncService(services.fs, services.log);
      if (kind === 'localabstract') return localAbstractService(arg, services.sockets);
      return null;
    },
  };
}
