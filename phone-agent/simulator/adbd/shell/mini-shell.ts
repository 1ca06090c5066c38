/**
 * A tiny /system/bin/sh: runs parsed command lines against a registry of commands. Commands are plain
 * functions over strings (no processes), so `adb shell` answers instantly and deterministically.
 */
import path from 'node:path/posix';
import type { MemoryFs } from '../memory-fs';
import { Connector, OutputTarget, parseCommandLine, type SimpleCommand } from './command-line';

export interface CommandContext {
  /** Arguments after the command name. */
  args: string[];
  /** The shell's variables plus this command's `VAR=value` prefixes. */
  env: Record<string, string>;
  /** What the previous command of a pipe printed. */
  stdin: string;
  shell: MiniShell;
}

export interface CommandResult {
  stdout?: string;
  stderr?: string;
  /** Exit status; 0 when omitted. */
  code?: number;
}

export type ShellCommand = (ctx: CommandContext) => CommandResult | Promise<CommandResult>;

export interface ShellOutput {
  /** stdout and stderr interleaved, as the v1 shell service delivers them. */
  output: string;
  code: number;
}

export class MiniShell {
  private readonly commands = new Map<string, ShellCommand>();
  /** Variables set by `export`, kept for the shell's lifetime (the phone's default environment). */
  readonly env: Record<string, string> = { PATH: '/system/bin:/system/xbin', HOME: '/', SHELL: '/system/bin/sh' };

  constructor(readonly fs: MemoryFs) {}

  register(name: string, command: ShellCommand): this {
    this.commands.set(name, command);
    return this;
  }

  has(name: string): boolean {
    return this.commands.has(path.basename(name));
  }

  async run(line: string, stdinForFirst = ''): Promise<ShellOutput> {
    let output = '';
    let code = 0;
    let skip = false;
    for (const pipeline of parseCommandLine(line)) {
      if (!skip) {
        let stdin = stdinForFirst;
        for (let i = 0; i < pipeline.commands.length; i++) {
          const last = i === pipeline.commands.length - 1;
          const r = await this.runSimple(pipeline.commands[i]!, stdin);
          code = r.code;
          // Inside a pipe stdout feeds the next command; stderr always reaches the terminal.
          output += r.stderr + (last ? r.stdout : '');
          stdin = r.stdout;
        }
      }
      skip = (pipeline.then === Connector.And && code !== 0) || (pipeline.then === Connector.Or && code === 0);
    }
    return { output, code };
  }

  /** Runs one argv (for `sh -c`, `nohup`, `exec` and friends). */
  async runArgv(argv: string[], env: Record<string, string>, stdin = ''): Promise<Required<CommandResult>> {
    const [name, ...args] = argv;
    if (name === undefined) return { stdout: '', stderr: '', code: 0 };
    const command = this.commands.get(path.basename(name));
    if (!command) return { stdout: '', stderr: `/system/bin/sh: ${name}: inaccessible or not found\n`, code: 127 };
    const r = await command({ args, env: { ...this.env, ...env }, stdin, shell: this });
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', code: r.code ?? 0 };
  }

  private async runSimple(cmd: SimpleCommand, stdin: string): Promise<{ stdout: string; stderr: string; code: number }> {
    if (cmd.argv.length === 0) {
      // `VAR=value` alone sets a shell variable.
      Object.assign(this.env, cmd.env);
      return { stdout: '', stderr: '', code: 0 };
    }
    const r = await this.runArgv(cmd.argv, cmd.env, stdin);
    let stdout = r.stdout;
    let stderr = r.stderr;
    if (cmd.stderr === OutputTarget.Stdout) {
      stdout += stderr;
      stderr = '';
    }
    stdout = this.redirect(stdout, cmd.stdout);
    stderr = this.redirect(stderr, cmd.stderr === OutputTarget.Stdout ? cmd.stdout : cmd.stderr);
    return { stdout, stderr, code: r.code };
  }

  /** Applies a redirection; returns what still goes to the terminal. */
  private redirect(text: string, target: SimpleCommand['stdout']): string {
    if (target === OutputTarget.Inherit || target === OutputTarget.Stdout) return text;
    if (target === OutputTarget.Discard) return '';
    try {
      const old = target.append ? (this.fs.readFile(target.file)?.toString('utf8') ?? '') : '';
      this.fs.writeFile(target.file, Buffer.from(old + text, 'utf8'));
      return '';
    } catch (err) {
      return `/system/bin/sh: can't create ${target.file}: ${(err as Error).message}\n`;
    }
  }
}
