/**
 * `shell:COMMAND` (and `exec:COMMAND`), the v1 shell service: the command's output, then CLSE.
 *
 * v1 has no exit status and no separate stderr: both go to the stream, as with real adbd. Because we do
 * not announce the shell_v2 feature, adb 29 and adbkit both use this service.
 */
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../../electron/station/util/log';
import type { StreamHandler } from '../device-connection';

/** Runs one command line on the phone and returns everything it printed. */
export type ShellRunner = (commandLine: string) => Promise<string | Buffer> | string | Buffer;

export function shellService(commandLine: string, run: ShellRunner, log: Logger): StreamHandler {
  return (stream: Duplex) => {
    // Interactive `shell:` (no command) would need a pty; an empty session that closes is enough for tools.
    if (commandLine.trim() === '') {
      stream.end();
      return;
    }
    // Host input is not used by our commands, but must be consumed so its WRTEs get their OKAY.
    stream.resume();
    void (async () => {
      try {
        const out = await run(commandLine);
        stream.end(out);
      } catch (err) {
        log.warn(`shell command "${commandLine}" failed: ${(err as Error).message}`);
        stream.end(`/system/bin/sh: ${(err as Error).message}\n`);
      }
    })();
  };
}
