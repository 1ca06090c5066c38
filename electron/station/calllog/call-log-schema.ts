/**
 * How call records are stored: the `calllog` module's migrations (util/sqlite.ts `migrate`) and the
 * mapping from a table row to a `CallRecord`.
 *
 * Times are INTEGER epoch milliseconds so ranges and buckets are plain integer comparisons on an index.
 * Enumerations are TEXT without CHECK constraints: SQLite cannot alter a CHECK without rebuilding the
 * table, and the values are checked on the way in (call-log.ts).
 */
import type { Db, Migration } from '../util/sqlite';
import { migrate } from '../util/sqlite';
import type { CallLogDirection, CallRecord, DestinationSource, LoggedOutcome } from './call-record';
import type { CallEndCause, HangupSide } from '../values';

export const CALLLOG_MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE call_records (
     id TEXT PRIMARY KEY,
     call_id TEXT NOT NULL,
     sip_call_id TEXT,
     direction TEXT NOT NULL,
     line_id TEXT NOT NULL,
     device_serial TEXT,
     whatsapp_account TEXT,
     sip_account TEXT,
     caller TEXT NOT NULL,
     destination TEXT NOT NULL,
     destination_source TEXT,
     started_at INTEGER NOT NULL,
     ringing_at INTEGER,
     answered_at INTEGER,
     ended_at INTEGER,
     updated_at INTEGER NOT NULL,
     duration_ms INTEGER,
     billable_s INTEGER,
     sip_code INTEGER,
     outcome TEXT,
     hangup_side TEXT,
     policy_rule TEXT,
     codec TEXT,
     rtp_packets_sent INTEGER,
     rtp_packets_received INTEGER,
     rtp_packets_lost INTEGER,
     rtp_jitter_ms REAL,
     post_dial_delay_ms INTEGER
   );
   -- Keyset paging and date ranges walk this index (newest first or oldest first).
   CREATE INDEX call_records_started ON call_records (started_at, id);
   -- Per-line history and statistics.
   CREATE INDEX call_records_line_started ON call_records (line_id, started_at, id);
   -- Only the few open records: what recoverInterrupted() looks for at every start.
   CREATE INDEX call_records_open ON call_records (started_at) WHERE ended_at IS NULL;`,
  // The line whose phone carried the call, apart from the line whose extension was called (they differ
  // when the call was hunted to another phone of the group). Earlier records did not say which phone
  // carried them: theirs stays null (unknown), and their figures count on the called line as before.
  // end_approximate: the end was not seen but inferred after a crash (the last write or heartbeat).
  `ALTER TABLE call_records ADD COLUMN carrier_line_id TEXT;
   ALTER TABLE call_records ADD COLUMN end_approximate INTEGER NOT NULL DEFAULT 0;
   UPDATE call_records SET end_approximate = 1 WHERE outcome = 'interrupted';
   CREATE INDEX call_records_carrier_started ON call_records (carrier_line_id, started_at, id);`,
  // Why the station ended a call when no policy rule did (its phone was lost, say); null before.
  `ALTER TABLE call_records ADD COLUMN end_reason TEXT;`,
  // Why a call ended abnormally (no-ack, bye-refused, rtp-timeout); null for the others and before.
  `ALTER TABLE call_records ADD COLUMN end_cause TEXT;`,
  // The call's recording: a file name in the recordings folder (media/call-recording.ts); null when the
  // call was not recorded, before, or once retention deleted the file.
  `ALTER TABLE call_records ADD COLUMN recording TEXT;
   CREATE INDEX call_records_recording ON call_records (recording) WHERE recording IS NOT NULL;`,
];

/** Creates or upgrades the call record tables; idempotent, call it once the database is open. */
export function migrateCallLog(db: Db): void {
  migrate(db, 'calllog', CALLLOG_MIGRATIONS);
}

/** A `call_records` row as SQLite returns it. */
export interface CallRow {
  id: string;
  call_id: string;
  sip_call_id: string | null;
  direction: string;
  line_id: string;
  carrier_line_id: string | null;
  device_serial: string | null;
  whatsapp_account: string | null;
  sip_account: string | null;
  caller: string;
  destination: string;
  destination_source: string | null;
  started_at: number;
  ringing_at: number | null;
  answered_at: number | null;
  ended_at: number | null;
  updated_at: number;
  duration_ms: number | null;
  billable_s: number | null;
  sip_code: number | null;
  outcome: string | null;
  hangup_side: string | null;
  policy_rule: string | null;
  end_reason: string | null;
  end_cause: string | null;
  recording: string | null;
  codec: string | null;
  rtp_packets_sent: number | null;
  rtp_packets_received: number | null;
  rtp_packets_lost: number | null;
  rtp_jitter_ms: number | null;
  post_dial_delay_ms: number | null;
  end_approximate: number;
}

/** The WhatsApp side's number of a record, as SQL: what "unique numbers" counts. */
export const WHATSAPP_NUMBER_SQL = `CASE direction WHEN 'whatsapp-to-sip' THEN caller ELSE destination END`;

/** The line a record counts on in per-line figures: the phone's that carried it, else the called one. */
export const FIGURES_LINE_SQL = 'COALESCE(carrier_line_id, line_id)';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function rowToRecord(row: CallRow): CallRecord {
  return {
    id: row.id,
    callId: row.call_id,
    sipCallId: row.sip_call_id,
    // Checked on the way in; the casts only restore what the column held.
    direction: row.direction as CallLogDirection,
    lineId: row.line_id,
    carrierLineId: row.carrier_line_id,
    deviceSerial: row.device_serial,
    whatsappAccount: row.whatsapp_account,
    sipAccount: row.sip_account,
    caller: row.caller,
    destination: row.destination,
    destinationSource: row.destination_source as DestinationSource | null,
    startedAt: new Date(row.started_at).toISOString(),
    ringingAt: iso(row.ringing_at),
    answeredAt: iso(row.answered_at),
    endedAt: iso(row.ended_at),
    durationSeconds: row.duration_ms === null ? null : row.duration_ms / 1000,
    billableSeconds: row.billable_s,
    sipCode: row.sip_code,
    outcome: row.outcome as LoggedOutcome | null,
    hangupSide: row.hangup_side as HangupSide | null,
    policyRule: row.policy_rule,
    endReason: row.end_reason,
    endCause: row.end_cause as CallEndCause | null,
    recording: row.recording,
    codec: row.codec,
    rtp:
      row.rtp_packets_sent === null
        ? null
        : {
            packetsSent: row.rtp_packets_sent,
            packetsReceived: row.rtp_packets_received ?? 0,
            lost: row.rtp_packets_lost ?? 0,
            jitterMs: row.rtp_jitter_ms ?? 0,
          },
    postDialDelayMs: row.post_dial_delay_ms,
    endApproximate: row.end_approximate === 1,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
