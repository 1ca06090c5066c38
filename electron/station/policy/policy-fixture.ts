/**
 * A policy engine on a real SQLite file in a temporary folder, with a clock the test moves by hand.
 * Shared by the policy tests; `reopen` closes the database and opens the same file again, as a
 * station restart does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../util/sqlite';
import { policySchema, type PolicyConfig } from './policy-config';
import { PolicyEngine, type OutboundRecord } from './policy-engine';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Policy input as written in a config file, with pause-between-calls off unless the test turns it on. */
export function policy(input: Record<string, unknown> = {}): PolicyConfig {
  return policySchema.parse({ timezoneOffsetMinutes: 420, pauseBetweenCalls: { enabled: false }, ...input });
}

export class PolicyFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'sip2wa-policy-'));
  readonly file = join(this.dir, 'station.sqlite');
  /** 2024-05-01 12:00 at UTC+7 (the fixture's default zone). */
  now = Date.parse('2024-05-01T05:00:00Z');
  db: Db;
  engine: PolicyEngine;

  constructor(private config: PolicyConfig = policy()) {
    this.db = openDatabase(this.file);
    this.engine = new PolicyEngine(this.db, config, () => this.now);
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** Set the clock to a wall-clock time at the fixture's UTC+7, like "2024-05-01T23:59". */
  at(localTime: string): void {
    this.now = Date.parse(`${localTime}:00+07:00`);
  }

  check(number: string, over: { line?: string; callerId?: string; lineBusy?: boolean } = {}) {
    return this.engine.checkOutbound({ line: 'wa1', callerId: '1001', number, lineBusy: false, ...over });
  }

  /** An outbound call that just ended now; by default unanswered, hung up by WhatsApp, offline. */
  record(number: string, over: Partial<OutboundRecord> = {}): void {
    this.engine.recordOutbound({
      line: 'wa1',
      callerId: '1001',
      number,
      outcome: 'offline',
      hangupSide: 'whatsapp',
      answered: false,
      endedAt: this.now,
      ...over,
    });
  }

  reconfigure(config: PolicyConfig): void {
    this.config = config;
    this.engine.updateConfig(config);
  }

  reopen(): void {
    this.db.close();
    this.db = openDatabase(this.file);
    this.engine = new PolicyEngine(this.db, this.config, () => this.now);
  }

  close(): void {
    if (this.db.open) this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
