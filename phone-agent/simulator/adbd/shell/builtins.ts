/**
 * The toybox and mksh commands tools use through `adb shell` on every phone: echo, cat, ls, rm, mkdir,
 * grep (as a pipe filter), true/false, sh -c, nohup, export, id.
 */
import path from 'node:path/posix';
import { S_IFDIR } from '../memory-fs';
import type { CommandContext, CommandResult, MiniShell } from './mini-shell';

export function registerBuiltins(shell: MiniShell): void {
  shell
    .register('echo', ({ args }) => {
      const noNewline = args[0] === '-n';
      const words = noNewline ? args.slice(1) : args;
      return { stdout: words.join(' ') + (noNewline ? '' : '\n') };
    })
    .register('true', () => ({}))
    .register('false', () => ({ code: 1 }))
    .register('id', () => ({ stdout: 'uid=2000(shell) gid=2000(shell) groups=2000(shell) context=u:r:shell:s0\n' }))
    .register('cat', cat)
    .register('ls', ls)
    .register('rm', rm)
    .register('mkdir', mkdir)
    .register('grep', grep)
    .register('export', ({ args, shell: sh }) => {
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) sh.env[a.slice(0, eq)] = a.slice(eq + 1);
      }
      return {};
    })
    .register('sh', async ({ args, env, stdin, shell: sh }) => {
      // `sh -c 'command line'`: the line runs in this shell (our commands have no process to fork).
      const c = args.indexOf('-c');
      const line = c >= 0 ? (args[c + 1] ?? '') : stdin;
      const saved = { ...sh.env };
      Object.assign(sh.env, env);
      try {
        const r = await sh.run(line);
        return { stdout: r.output, code: r.code };
      } finally {
        for (const k of Object.keys(sh.env)) delete sh.env[k];
        Object.assign(sh.env, saved);
      }
    })
    .register('nohup', async ({ args, env, stdin, shell: sh }) => {
      // Lenient: `nohup VAR=x cmd` (which sh would reject) runs cmd with VAR set, as the writer meant.
      const vars: Record<string, string> = {};
      let i = 0;
      for (; i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]!); i++) {
        const eq = args[i]!.indexOf('=');
        vars[args[i]!.slice(0, eq)] = args[i]!.slice(eq + 1);
      }
      return sh.runArgv(args.slice(i), { ...env, ...vars }, stdin);
    });
}

function cat({ args, stdin, shell }: CommandContext): CommandResult {
  if (args.length === 0) return { stdout: stdin };
  let stdout = '';
  let stderr = '';
  for (const f of args) {
    const data = shell.fs.readFile(f);
    if (data) stdout += data.toString('utf8');
    else stderr += `cat: ${f}: ${shell.fs.stat(f) ? 'Is a directory' : 'No such file or directory'}\n`;
  }
  return { stdout, stderr, code: stderr ? 1 : 0 };
}

function ls({ args, shell }: CommandContext): CommandResult {
  const long = args.some((a) => a.startsWith('-') && a.includes('l'));
  const targets = args.filter((a) => !a.startsWith('-'));
  let stdout = '';
  let stderr = '';
  for (const t of targets.length ? targets : ['/']) {
    const entry = shell.fs.stat(t);
    if (!entry) {
      stderr += `ls: ${t}: No such file or directory\n`;
      continue;
    }
    const isDir = (entry.mode & S_IFDIR) === S_IFDIR;
    const items = isDir ? shell.fs.list(t)! : [{ name: t, ...entry }];
    for (const e of items) {
      if (!long) stdout += `${e.name}\n`;
      else {
        const kind = (e.mode & S_IFDIR) === S_IFDIR ? 'd' : '-';
        const date = new Date(e.mtime * 1000).toISOString().slice(0, 16).replace('T', ' ');
        stdout += `${kind}${permString(e.mode)} 1 shell shell ${String(e.size).padStart(8)} ${date} ${path.basename(e.name)}\n`;
      }
    }
  }
  return { stdout, stderr, code: stderr ? 1 : 0 };
}

function permString(mode: number): string {
  const bits = 'rwxrwxrwx';
  return [...bits].map((ch, i) => (mode & (1 << (8 - i)) ? ch : '-')).join('');
}

function rm({ args, shell }: CommandContext): CommandResult {
  const force = args.some((a) => a.startsWith('-') && a.includes('f'));
  let stderr = '';
  for (const f of args.filter((a) => !a.startsWith('-'))) {
    if (!shell.fs.remove(f) && !force) stderr += `rm: ${f}: No such file or directory\n`;
  }
  return { stderr, code: stderr ? 1 : 0 };
}

function mkdir({ args, shell }: CommandContext): CommandResult {
  let stderr = '';
  for (const d of args.filter((a) => !a.startsWith('-'))) {
    try {
      shell.fs.mkdirs(d);
    } catch (err) {
      stderr += `mkdir: ${(err as Error).message}\n`;
    }
  }
  return { stderr, code: stderr ? 1 : 0 };
}

function grep({ args, stdin }: CommandContext): CommandResult {
  const invert = args.includes('-v');
  const ignoreCase = args.includes('-i');
  const pattern = args.find((a) => !a.startsWith('-'));
  if (pattern === undefined) return { stderr: 'usage: grep [-iv] PATTERN\n', code: 2 };
  let re: RegExp;
  try {
    re = new RegExp(pattern, ignoreCase ? 'i' : '');
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), ignoreCase ? 'i' : '');
  }
  const lines = stdin.split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1));
  const hits = lines.filter((l) => re.test(l) !== invert);
  return { stdout: hits.map((l) => l + '\n').join(''), code: hits.length ? 0 : 1 };
}
