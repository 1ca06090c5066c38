/**
 * The phone's processes as `ps`, `pidof`, `pgrep`, `kill` and `pkill` see them. Only what the simulator
 * starts (the agent) plus a few fixed system processes, so listings look like a phone's.
 */

export interface PhoneProcess {
  pid: number;
  user: string;
  /** What `ps` shows in NAME and `pidof` matches (argv[0]'s basename). */
  name: string;
  /** The full command line, what `pkill -f` / `pgrep -f` match. */
  cmdline: string;
}

interface Entry extends PhoneProcess {
  /** Called when the process is killed; null for system processes that cannot be killed by shell. */
  onKill: (() => void) | null;
}

const SYSTEM: PhoneProcess[] = [
  { pid: 1, user: 'root', name: 'init', cmdline: '/system/bin/init second_stage' },
  { pid: 412, user: 'system', name: 'servicemanager', cmdline: '/system/bin/servicemanager' },
  { pid: 781, user: 'root', name: 'zygote64', cmdline: 'zygote64' },
  { pid: 1203, user: 'system', name: 'system_server', cmdline: 'system_server' },
  { pid: 2210, user: 'shell', name: 'adbd', cmdline: '/apex/com.android.adbd/bin/adbd --root_seclabel=u:r:su:s0' },
  { pid: 4321, user: 'u0_a123', name: 'com.whatsapp', cmdline: 'com.whatsapp' },
];

export class ProcessTable {
  private readonly entries = new Map<number, Entry>();
  private nextPid = 10_000;

  constructor() {
    for (const p of SYSTEM) this.entries.set(p.pid, { ...p, onKill: null });
  }

  /** Adds a process; `onKill` runs when a shell command kills it. */
  spawn(name: string, cmdline: string, onKill: () => void, user = 'shell'): PhoneProcess {
    const pid = this.nextPid++;
    const entry: Entry = { pid, user, name, cmdline, onKill };
    this.entries.set(pid, entry);
    return { pid, user, name, cmdline };
  }

  /** The process ended by itself (crash, stop): it leaves the table without running onKill. */
  exited(pid: number): void {
    this.entries.delete(pid);
  }

  list(): PhoneProcess[] {
    return [...this.entries.values()].map(({ pid, user, name, cmdline }) => ({ pid, user, name, cmdline }));
  }

  get(pid: number): PhoneProcess | null {
    return this.entries.get(pid) ?? null;
  }

  /** Kills as the shell user: 'killed', 'no-such-process', or 'not-permitted' for system processes. */
  kill(pid: number): 'killed' | 'no-such-process' | 'not-permitted' {
    const e = this.entries.get(pid);
    if (!e) return 'no-such-process';
    if (!e.onKill || e.user !== 'shell') return 'not-permitted';
    this.entries.delete(pid);
    e.onKill();
    return 'killed';
  }
}
