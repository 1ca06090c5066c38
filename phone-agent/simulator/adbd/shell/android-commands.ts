/**
 * The Android-specific commands the station runs: getprop, dumpsys battery, process tools and
 * app_process (how scrcpy-style servers start). Output formats are those of Android 14.
 */
import type { CommandContext, CommandResult, MiniShell } from './mini-shell';
import type { ProcessTable } from './process-table';

export interface BatteryState {
  level: number;
  charging: boolean;
  /** Tenths of a degree Celsius. */
  temperatureDeciC: number;
}

/**
 * A Java main class the phone can run with app_process. `jar` is the CLASSPATH file's content; the
 * program returns null when that file does not contain its class (not a build of it).
 */
export type JavaProgram = (launch: { classpath: string; jar: Buffer; args: string[] }) => CommandResult | null;

export interface AndroidState {
  props(): Record<string, string>;
  battery(): BatteryState;
  processes: ProcessTable;
  javaPrograms: Map<string, JavaProgram>;
}

/** BatteryManager constants, as dumpsys prints them. */
const BATTERY_STATUS_CHARGING = 2;
const BATTERY_STATUS_DISCHARGING = 3;
const BATTERY_STATUS_FULL = 5;

export function registerAndroidCommands(shell: MiniShell, state: AndroidState): void {
  shell
    .register('getprop', ({ args }) => getprop(state.props(), args))
    .register('dumpsys', ({ args }) => dumpsys(state.battery(), args))
    .register('ps', ({ args }) => ps(state.processes, args))
    .register('pidof', ({ args }) => {
      const pids = state.processes
        .list()
        .filter((p) => args.includes(p.name))
        .map((p) => p.pid);
      return pids.length ? { stdout: pids.join(' ') + '\n' } : { code: 1 };
    })
    .register('pgrep', ({ args }) => {
      const { matches, list } = matcher(state.processes, args);
      const hits = matches();
      const long = list;
      return hits.length ? { stdout: hits.map((p) => (long ? `${p.pid} ${p.name}\n` : `${p.pid}\n`)).join('') } : { code: 1 };
    })
    .register('pkill', ({ args }) => {
      const hits = matcher(state.processes, args).matches();
      const killed = hits.filter((p) => state.processes.kill(p.pid) === 'killed');
      return { code: killed.length ? 0 : 1 };
    })
    .register('kill', ({ args }) => kill(state.processes, args))
    .register('app_process', (ctx) => appProcess(state, ctx));
}

function getprop(props: Record<string, string>, args: string[]): CommandResult {
  if (args.length === 0) {
    const keys = Object.keys(props).sort();
    return { stdout: keys.map((k) => `[${k}]: [${props[k]}]\n`).join('') };
  }
  // getprop KEY [DEFAULT]: an unset property prints the default, or an empty line.
  return { stdout: `${props[args[0]!] ?? args[1] ?? ''}\n` };
}

function dumpsys(b: BatteryState, args: string[]): CommandResult {
  if (args[0] !== 'battery') return { stderr: `Can't find service: ${args[0] ?? ''}\n`, code: 0 };
  const status = b.charging
    ? b.level >= 100
      ? BATTERY_STATUS_FULL
      : BATTERY_STATUS_CHARGING
    : BATTERY_STATUS_DISCHARGING;
  const lines = [
    'Current Battery Service state:',
    '  AC powered: false',
    `  USB powered: ${b.charging}`,
    '  Wireless powered: false',
    '  Dock powered: false',
    `  Max charging current: ${b.charging ? 500000 : 0}`,
    `  Max charging voltage: ${b.charging ? 5000000 : 0}`,
    `  Charge counter: ${Math.round(b.level * 40000)}`,
    `  status: ${status}`,
    '  health: 2',
    '  present: true',
    `  level: ${b.level}`,
    '  scale: 100',
    `  voltage: ${3600 + b.level * 6}`,
    `  temperature: ${b.temperatureDeciC}`,
    '  technology: Li-ion',
    `  Charging state: ${b.charging ? 1 : 0}`,
    '  Charging policy: 1',
    '  Capacity level: -1',
  ];
  return { stdout: lines.join('\n') + '\n' };
}

function ps(processes: ProcessTable, _args: string[]): CommandResult {
  // toybox ps -A columns; with or without -A we list everything (the shell user sees all on Android 14).
  const header = 'USER           PID  PPID        VSZ    RSS WCHAN            ADDR S NAME\n';
  const rows = processes
    .list()
    .map(
      (p) =>
        `${p.user.padEnd(10)} ${String(p.pid).padStart(7)} ${String(p.pid === 1 ? 0 : 1).padStart(5)} ` +
        `${'10913940'.padStart(10)} ${'98304'.padStart(6)} do_sys_poll         0 S ${p.name}\n`,
    );
  return { stdout: header + rows.join('') };
}

/** pgrep/pkill option parsing: `-f` matches the full command line, `-l` lists names, `-9` etc. ignored. */
function matcher(processes: ProcessTable, args: string[]): { matches: () => ReturnType<ProcessTable['list']>; list: boolean } {
  const full = args.includes('-f');
  const pattern = args.filter((a) => !a.startsWith('-')).join(' ');
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
  return {
    list: args.includes('-l'),
    matches: () => (pattern ? processes.list().filter((p) => re.test(full ? p.cmdline : p.name)) : []),
  };
}

function kill(processes: ProcessTable, args: string[]): CommandResult {
  let stderr = '';
  for (const a of args.filter((x) => !x.startsWith('-'))) {
    const pid = Number.parseInt(a, 10);
    const r = Number.isNaN(pid) ? 'no-such-process' : processes.kill(pid);
    if (r === 'no-such-process') stderr += `/system/bin/sh: kill: ${a}: No such process\n`;
    if (r === 'not-permitted') stderr += `/system/bin/sh: kill: ${a}: Operation not permitted\n`;
  }
  return { stderr, code: stderr ? 1 : 0 };
}

/**
 * `app_process [vm-options] DIR [--nice-name=N] CLASS [args...]` with CLASSPATH from the environment.
 * A missing CLASSPATH file or one without the class fails the way Dalvik reports it.
 */
function appProcess(state: AndroidState, { args, env, shell }: CommandContext): CommandResult {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i++; // VM options such as -Xmx
  i++; // the "parent dir" argument, conventionally "/"
  while (i < args.length && args[i]!.startsWith('--')) i++; // --nice-name, --application
  const className = args[i];
  if (className === undefined) return { stderr: 'Error: no class name or --zygote supplied.\n', code: 1 };
  const programArgs = args.slice(i + 1);
  const notFound = { stderr: `Error: Could not find or load main class ${className}\n`, code: 1 };
  const classpath = env.CLASSPATH ?? '';
  const program = state.javaPrograms.get(className);
  for (const entry of classpath.split(':').filter(Boolean)) {
    const jar = shell.fs.readFile(entry);
    if (!jar || !program) continue;
    const r = program({ classpath: entry, jar, args: programArgs });
    if (r) return r;
  }
  return notFound;
}
