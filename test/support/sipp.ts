/** Runs SIPp 3.6 (Debian `sip-tester`) with a scenario file from test/interop, in the foreground. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SippRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SippOptions {
  /** Scenario file name in test/interop. */
  scenario: string;
  /** Where to send: `host:port`. */
  remote: string;
  localIp?: string;
  localPort?: number;
  /** Request-URI user (`[service]`, SIPp's -s). */
  service?: string;
  /** `-key name value` pairs for the scenario. */
  keys?: Record<string, string>;
  transport?: 'u1' | 't1';
  calls?: number;
  timeoutMs?: number;
  /** Writes every message SIPp sends and receives to this file (`-trace_msg -message_file`), to read headers. */
  messageFile?: string;
}

export function scenarioPath(name: string): string {
  return fileURLToPath(new URL(`../interop/${name}`, import.meta.url));
}

export function runSipp(options: SippOptions): Promise<SippRun> {
  const args = [
    options.remote,
    '-sf', scenarioPath(options.scenario),
    '-m', String(options.calls ?? 1),
    '-t', options.transport ?? 'u1',
    '-i', options.localIp ?? '127.0.0.1',
    '-nostdin',
    '-timeout', `${Math.ceil((options.timeoutMs ?? 20_000) / 1000)}s`,
    '-timeout_error',
  ];
  if (options.service) args.push('-s', options.service);
  if (options.localPort) args.push('-p', String(options.localPort));
  for (const [k, v] of Object.entries(options.keys ?? {})) args.push('-key', k, v);
  if (options.messageFile) args.push('-trace_msg', '-message_file', options.messageFile);
  return new Promise((resolve, reject) => {
    const proc = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const killer = setTimeout(() => proc.pid && process.kill(proc.pid, 'SIGKILL'), (options.timeoutMs ?? 20_000) + 5_000);
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}
