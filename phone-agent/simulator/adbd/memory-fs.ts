/**
 * The phone's filesystem, in memory: what `adb push` writes and `app_process` reads.
 *
 * Only regular files and directories. Directories are created on demand for pushed files, as adbd's
 * sync service does (it runs `mkdirs` on the parent of every SEND).
 */
import path from 'node:path/posix';

/** POSIX file type bits, as the sync protocol reports them in STAT and DENT. */
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

export interface FsEntry {
  /** Full mode: type bits | permission bits. */
  mode: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
}

export interface FsFile extends FsEntry {
  data: Buffer;
}

/** Directories every Android phone has and tools expect (push targets, shell paths). */
const STANDARD_DIRS = ['/data', '/data/local', '/data/local/tmp', '/sdcard', '/storage', '/system', '/system/bin', '/dev'];

export class MemoryFs {
  private readonly files = new Map<string, FsFile>();
  private readonly dirs = new Map<string, FsEntry>();

  constructor() {
    const now = Math.floor(Date.now() / 1000);
    this.dirs.set('/', { mode: S_IFDIR | 0o755, size: 4096, mtime: now });
    for (const d of STANDARD_DIRS) this.mkdirs(d, now);
  }

  static normalize(p: string): string {
    const n = path.normalize(p.startsWith('/') ? p : `/${p}`);
    return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
  }

  stat(p: string): FsEntry | null {
    const n = MemoryFs.normalize(p);
    const file = this.files.get(n);
    if (file) return { mode: file.mode, size: file.size, mtime: file.mtime };
    return this.dirs.get(n) ?? null;
  }

  readFile(p: string): Buffer | null {
    return this.files.get(MemoryFs.normalize(p))?.data ?? null;
  }

  /** Writes a file, creating its parent directories. Throws (with the reason) if a directory is in the way. */
  writeFile(p: string, data: Buffer, mode = 0o644, mtime = Math.floor(Date.now() / 1000)): void {
    const n = MemoryFs.normalize(p);
    if (this.dirs.has(n)) throw new Error(`cannot write ${n}: Is a directory`);
    const parent = path.dirname(n);
    if (this.files.has(parent)) throw new Error(`cannot write ${n}: ${parent} is not a directory`);
    this.mkdirs(parent, mtime);
    this.files.set(n, { mode: S_IFREG | (mode & 0o7777), size: data.length, mtime, data });
  }

  mkdirs(p: string, mtime = Math.floor(Date.now() / 1000)): void {
    const n = MemoryFs.normalize(p);
    if (this.files.has(n)) throw new Error(`cannot create directory ${n}: File exists`);
    if (n !== '/') this.mkdirs(path.dirname(n), mtime);
    if (!this.dirs.has(n)) this.dirs.set(n, { mode: S_IFDIR | 0o771, size: 4096, mtime });
  }

  /** Removes a file; false when there was none. */
  remove(p: string): boolean {
    return this.files.delete(MemoryFs.normalize(p));
  }

  /** Names directly inside a directory, with their stat; null when it is not a directory. */
  list(p: string): Array<{ name: string } & FsEntry> | null {
    const dir = MemoryFs.normalize(p);
    if (!this.dirs.has(dir)) return null;
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const out: Array<{ name: string } & FsEntry> = [];
    const add = (full: string, e: FsEntry): void => {
      if (full === dir || !full.startsWith(prefix) || full.slice(prefix.length).includes('/')) return;
      out.push({ name: full.slice(prefix.length), mode: e.mode, size: e.size, mtime: e.mtime });
    };
    for (const [full, e] of this.dirs) add(full, e);
    for (const [full, f] of this.files) add(full, f);
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }
}
