import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatRecord, stderrIsJournal, type LogRecord } from './log';

const ROOT = join(import.meta.dirname, '../../..');
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'log-journal-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (level: LogRecord['level'], message: string): LogRecord => ({
  time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
  level,
  name: 'line',
  tags: { line: 'wa1', serial: 'R58M0001', password: 'hunter2', unset: undefined },
  message,
});

/** Runs a script that logs one record of each level, stderr into a file; returns what the file holds. */
function logFrom(env: (file: string) => NodeJS.ProcessEnv): string {
  const file = join(dir, 'stderr.txt');
  const fd = openSync(file, 'w');
  try {
    const script = join(dir, 'log-some.mts');
    writeFileSync(
      script,
      `import { createLogger, setLogLevel } from ${JSON.stringify(join(ROOT, 'electron/station/util/log.ts'))};
      setLogLevel('debug');
      const log = createLogger('line', { line: 'wa1', serial: 'R58M0001' });
      log.debug('probe'); log.info('registered'); log.warn('registration failing'); log.error('phone lost');`,
    );
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [script], { cwd: ROOT, stdio: ['ignore', 'ignore', fd], env: { ...process.env, ...env(file) }, timeout: 30_000 });
    expect(r.status).toBe(0);
  } finally {
    closeSync(fd);
  }
  return readFileSync(file, 'utf8');
}

describe('log lines', () => {
  it('for a terminal: time, level, name with the line and serial tags, message; secrets masked', () => {
    expect(formatRecord(record('warn', 'registration failing'), false)).toBe(
      '2026-01-02T03:04:05.006Z warn  [line line=wa1 serial=R58M0001 password=***] registration failing\n',
    );
  });

  it('for the journal: the syslog priority first (sd-daemon(3)), no time, one line per record', () => {
    const lines = (['error', 'warn', 'info', 'debug'] as const).map((l) => formatRecord(record(l, 'two\nlines'), true));
    expect(lines).toEqual([
      '<3>[line line=wa1 serial=R58M0001 password=***] two lines\n',
      '<4>[line line=wa1 serial=R58M0001 password=***] two lines\n',
      '<6>[line line=wa1 serial=R58M0001 password=***] two lines\n',
      '<7>[line line=wa1 serial=R58M0001 password=***] two lines\n',
    ]);
  });

  it('knows stderr is the journal only when JOURNAL_STREAM names the very file it is', () => {
    const fd = openSync(join(dir, 'x'), 'w');
    try {
      const s = fstatSync(fd);
      expect(stderrIsJournal({ JOURNAL_STREAM: `${s.dev}:${s.ino}` }, fd)).toBe(true);
      // Inherited by a child whose stderr went elsewhere (a pipe, a file): not the journal.
      expect(stderrIsJournal({ JOURNAL_STREAM: `${s.dev}:${s.ino + 1}` }, fd)).toBe(false);
      expect(stderrIsJournal({}, fd)).toBe(false);
    } finally {
      closeSync(fd);
    }
  });

  it('a station process under systemd writes priority-prefixed lines; elsewhere timestamped ones', { timeout: 60_000 }, () => {
    const journal = logFrom((file) => {
      const s = statSync(file);
      return { JOURNAL_STREAM: `${s.dev}:${s.ino}` };
    });
    expect(journal.trim().split('\n')).toEqual([
      '<7>[line line=wa1 serial=R58M0001] probe',
      '<6>[line line=wa1 serial=R58M0001] registered',
      '<4>[line line=wa1 serial=R58M0001] registration failing',
      '<3>[line line=wa1 serial=R58M0001] phone lost',
    ]);
    const plain = logFrom(() => ({ JOURNAL_STREAM: '' }));
    expect(plain.trim().split('\n').at(-1)).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z error \[line line=wa1 serial=R58M0001\] phone lost$/);
  });
});
