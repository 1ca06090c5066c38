/**
 * Named loggers, tagged with what they speak for (a line, a device serial).
 *
 * One line per record on stderr: `time level [name tag=value ...] message`. The level comes from the
 * SIP2WA_LOG environment variable (debug, info, warn, error, silent; default info). Secrets never reach
 * a record: fields whose name looks like a credential are replaced before formatting.
 *
 * Under systemd, when stderr is the journal's stream (JOURNAL_STREAM names its device and inode,
 * systemd.exec(5)), each line starts with its syslog priority instead of a time and level, `<3>` for
 * errors to `<7>` for debug (sd-daemon(3)): journald stores the priority (`journalctl -p warning`
 * filters on it) and its own timestamp, and the line and serial tags stay in the text
 * (`journalctl -u sip2wa-station -g serial=R58M`).
 */
import { fstatSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogTags = Record<string, string | number | undefined>;

export interface LogRecord {
  time: Date;
  level: Exclude<LogLevel, 'silent'>;
  name: string;
  tags: LogTags;
  message: string;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger with the same name and extra tags (for example `{ serial }`). */
  child(tags: LogTags): Logger;
}

const SECRET_KEY = /pass(word)?|secret|token|authorization/i;

function envLevel(): LogLevel {
  const raw = (process.env.SIP2WA_LOG ?? 'info').toLowerCase();
  return raw in ORDER ? (raw as LogLevel) : 'info';
}

let threshold = ORDER[envLevel()];
const sinks = new Set<LogSink>();

function formatTags(tags: LogTags): string {
  return Object.entries(tags)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${SECRET_KEY.test(k) ? '***' : String(v)}`)
    .join(' ');
}

/** syslog priorities (sd-daemon(3)): err, warning, info, debug. */
const PRIORITY: Record<LogRecord['level'], number> = { error: 3, warn: 4, info: 6, debug: 7 };

/**
 * One record as a line: for a terminal or a file `time level [name tags] message`; for the journal
 * `<priority>[name tags] message`, its line breaks made spaces: one record, one journal entry.
 */
export function formatRecord(r: LogRecord, journal: boolean): string {
  const tags = formatTags(r.tags);
  const text = `[${r.name}${tags ? ' ' + tags : ''}] `;
  // journald makes an entry of each line: a message's own line breaks would split it, the rest without a priority.
  if (journal) return `<${PRIORITY[r.level]}>${text}${r.message.replace(/\r?\n/g, ' ')}\n`;
  return `${r.time.toISOString()} ${r.level.padEnd(5)} ${text}${r.message}\n`;
}

/** Whether stderr is the journal's stream: JOURNAL_STREAM ("device:inode") names the file stderr is. */
export function stderrIsJournal(env: NodeJS.ProcessEnv = process.env, fd = 2): boolean {
  const stream = env.JOURNAL_STREAM;
  if (!stream) return false;
  try {
    const s = fstatSync(fd);
    return stream === `${s.dev}:${s.ino}`;
  } catch {
    return false;
  }
}

const journal = stderrIsJournal();

function stderrSink(r: LogRecord): void {
  process.stderr.write(formatRecord(r, journal));
}

/** Sets the level for every logger (tests and `--log-level` use this). */
export function setLogLevel(level: LogLevel): void {
  threshold = ORDER[level];
}

/**
 * Adds a sink that receives every record at or above the level (the events panel and tests use it).
 * Returns a function that removes it.
 */
export function addLogSink(sink: LogSink): () => void {
  sinks.add(sink);
  return () => sinks.delete(sink);
}

export function createLogger(name: string, tags: LogTags = {}): Logger {
  const emit = (level: Exclude<LogLevel, 'silent'>, message: string): void => {
    if (ORDER[level] < threshold) return;
    const record: LogRecord = { time: new Date(), level, name, tags, message };
    stderrSink(record);
    for (const sink of sinks) sink(record);
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
    child: (more) => createLogger(name, { ...tags, ...more }),
  };
}
