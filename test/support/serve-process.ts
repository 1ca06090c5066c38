/**
 * `npm run serve` with the arguments an operator would give it, in a child process (node with tsx's
 * loader, so a signal reaches the station itself), its output collected, and the command API reached
 * over WebSocket once the console is served.
 */
import { spawn } from 'node:child_process';
import { waitFor } from './wait';
import { WsTestClient } from './ws-client';

export interface ServeRun {
  client: WsTestClient;
  output(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startServe(args: string[], apiPort: number, env: NodeJS.ProcessEnv = {}): Promise<ServeRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/station/serve.ts', '--port', String(apiPort), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  try {
    await waitFor(
      'the console',
      () => {
        if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${output.slice(-2000)}`);
        return /console at /.test(output);
      },
      30_000,
    );
    const client = await WsTestClient.open(`ws://127.0.0.1:${apiPort}/api/ws`);
    return {
      client,
      output: () => output,
      stop: () => {
        client.ws.close();
        return stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
