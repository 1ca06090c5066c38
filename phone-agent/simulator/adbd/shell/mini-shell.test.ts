import { describe, expect, it } from 'vitest';
import { MemoryFs } from '../memory-fs';
import { Connector, OutputTarget, parseCommandLine } from './command-line';
import { registerBuiltins } from './builtins';
import { MiniShell } from './mini-shell';

function shell(): MiniShell {
  const sh = new MiniShell(new MemoryFs());
  registerBuiltins(sh);
  sh.register('env-of', ({ args, env }) => ({ stdout: `${env[args[0]!] ?? ''}\n` }));
  return sh;
}

describe('command line parsing', () => {
  it('parses the station agent launch line', () => {
    const [p] = parseCommandLine(
      'CLASSPATH=/data/local/tmp/a.jar nohup app_process / org.x.Main --socket s --daemon >/dev/null 2>&1 &',
    );
    expect(p!.then).toBe(Connector.Background);
    expect(p!.commands[0]).toEqual({
      env: { CLASSPATH: '/data/local/tmp/a.jar' },
      argv: ['nohup', 'app_process', '/', 'org.x.Main', '--socket', 's', '--daemon'],
      stdout: OutputTarget.Discard,
      stderr: OutputTarget.Stdout,
    });
  });

  it('keeps quoted text together', () => {
    const [p] = parseCommandLine(`sh -c 'echo "a b" | grep a' "x\\"y"`);
    expect(p!.commands[0]!.argv).toEqual(['sh', '-c', 'echo "a b" | grep a', 'x"y']);
  });
});

describe('mini shell', () => {
  it('runs sequences, && and ||, pipes and redirections', async () => {
    const sh = shell();
    expect((await sh.run('echo one; false && echo no; false || echo two')).output).toBe('one\ntwo\n');
    expect((await sh.run('echo apple; echo banana | grep nan')).output).toBe('apple\nbanana\n');
    expect((await sh.run('echo saved > /data/local/tmp/f; cat /data/local/tmp/f')).output).toBe('saved\n');
    expect((await sh.run('cat /nope 2>/dev/null')).output).toBe('');
    expect(await sh.run('missing-tool -x')).toEqual({ output: '/system/bin/sh: missing-tool: inaccessible or not found\n', code: 127 });
  });

  it('passes VAR=value to the command, through sh -c and nohup', async () => {
    const sh = shell();
    expect((await sh.run('A=1 env-of A')).output).toBe('1\n');
    expect((await sh.run(`sh -c 'B=2 env-of B'`)).output).toBe('2\n');
    expect((await sh.run('nohup C=3 env-of C')).output).toBe('3\n');
    expect((await sh.run('env-of A')).output).toBe('\n');
  });
});
