/**
 * Named loggers, tagged with what they speak for (a line, a device serial).
 *
 * One line per record on stderr: `time level [name tag=value ...] message`. The level comes from the
 * SIP2WA_LOG environment variable (debug, info, warn, error, silent; default info). Secrets never reach
 * a record: fields whose name looks like a credential are replaced before formatting.
 */

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

function stderrSink(r: LogRecord): void {
  const tags = formatTags(r.tags);
  process.stderr.write(`${r.time.toISOString()} ${r.level.padEnd(5)} [${r.name}${tags ? ' ' + tags : ''}] ${r.message}\n`);
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
