/**
 * The station's SQLite database: one file, WAL journal (readers never block the writer, and a crash
 * loses no committed record), and named migration lists so each module (call records, policy counters)
 * owns its tables and evolves them on its own.
 */
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** One migration: SQL (or a function for data moves) that takes a module's tables one version up. */
export type Migration = string | ((db: Db) => void);

export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL with WAL: a power cut may lose the last transactions, a process crash loses nothing.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  return db;
}

/**
 * Applies the module's migrations it has not had yet, each in its own transaction; returns the
 * version reached. A database from a newer station (more versions than we know) is refused.
 */
export function migrate(db: Db, module: string, migrations: readonly Migration[]): number {
  const row = db.prepare('SELECT version FROM schema_versions WHERE module = ?').get(module) as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > migrations.length) {
    throw new Error(`database: ${module} tables are at version ${current}, this station knows ${migrations.length}; use a newer station`);
  }
  for (let v = current; v < migrations.length; v++) {
    const step = migrations[v]!;
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.prepare('INSERT INTO schema_versions (module, version) VALUES (?, ?) ON CONFLICT(module) DO UPDATE SET version = excluded.version').run(module, v + 1);
    })();
  }
  return migrations.length;
}
