/**
 * The CPU time of the calling thread, for benches that weigh what a media worker does: Linux's
 * /proc/thread-self/stat (utime + stime, in USER_HZ ticks: 100 a second on every Linux architecture
 * Node runs on). Read synchronously, so it is the calling thread's own. Null where there is no /proc.
 */
import { readFileSync } from 'node:fs';

const USER_HZ = 100;

export function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}
