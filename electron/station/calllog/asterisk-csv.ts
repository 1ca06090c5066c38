/**
 * Call records as Asterisk's cdr_csv writes Master.csv, for PBX people's billing and reporting tools:
 * no header, the 18 columns in cdr_csv's order (with loguniqueid and loguserfield on), every text field
 * in double quotes (a quote doubled), durations as bare integers, times as "YYYY-MM-DD HH:MM:SS" in UTC
 * (cdr.conf `usegmtime=yes`), one record per LF-ended line. Only finished calls are written, as
 * Asterisk writes a CDR when the call ends. The mapping of this station's fields is in README
 * ("Call records for PBX people").
 */
import type { CallRecord } from './call-record';

export const ASTERISK_COLUMNS = [
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'channel',
  'dstchannel',
  'lastapp',
  'lastdata',
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'disposition',
  'amaflags',
  'uniqueid',
  'userfield',
] as const;

/** The dispositions Asterisk writes (CDR(disposition)). */
export type AsteriskDisposition = 'ANSWERED' | 'NO ANSWER' | 'BUSY' | 'FAILED' | 'CONGESTION';

/**
 * What an Asterisk that placed the same call would record: answered is ANSWERED; what the PBX got as
 * 486/600 (busy, rejected, offline, every line busy) is BUSY; a 503 (a policy rule, the phone lost) is
 * CONGESTION; a call that failed (phone or agent error, not on WhatsApp, the station died) is FAILED;
 * the rest (no answer, cancelled while ringing) is NO ANSWER.
 */
export function asteriskDisposition(r: Pick<CallRecord, 'answeredAt' | 'sipCode' | 'outcome'>): AsteriskDisposition {
  if (r.answeredAt !== null) return 'ANSWERED';
  if (r.sipCode === 486 || r.sipCode === 600 || r.outcome === 'busy' || r.outcome === 'rejected') return 'BUSY';
  if (r.sipCode === 503) return 'CONGESTION';
  if (r.outcome === 'error' || r.outcome === 'interrupted' || r.outcome === 'not-on-whatsapp' || r.outcome === 'filtered') return 'FAILED';
  return 'NO ANSWER';
}

/** "2025-01-01 00:00:00" (UTC), or empty. */
function asteriskTime(iso: string | null): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '';
}

/**
 * A quoted text field. A value a spreadsheet would run as a formula (starting with =, @, tab or CR)
 * gets a leading apostrophe, as in the station's own CSV; "+" and "-" are left alone, since numbers
 * start with them and PBX tools read these fields as numbers.
 */
function text(value: string | null): string {
  const v = value ?? '';
  return `"${(/^[=@\t\r]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"`;
}

/** The PBX side and the phone side of a call, as Asterisk names channels (technology/resource). */
function channels(r: CallRecord): { channel: string; dstchannel: string; lastapp: string; lastdata: string } {
  const sip = `SIP/${r.sipAccount ?? r.lineId}`;
  const phone = `WhatsApp/${r.carrierLineId ?? r.lineId}`;
  switch (r.direction) {
    case 'whatsapp-to-sip':
      return { channel: phone, dstchannel: r.answeredAt ? sip : '', lastapp: 'Dial', lastdata: `SIP/${r.destination}` };
    case 'test-dial':
      return { channel: 'Console/operator', dstchannel: r.carrierLineId ? phone : '', lastapp: 'Dial', lastdata: `WhatsApp/${r.destination}` };
    case 'echo-test':
      return { channel: sip, dstchannel: '', lastapp: 'Echo', lastdata: '' };
    default:
      return { channel: sip, dstchannel: r.carrierLineId ? phone : '', lastapp: 'Dial', lastdata: `WhatsApp/${r.destination}` };
  }
}

/** One Master.csv line, or null for a call still in progress. */
export function asteriskRow(r: CallRecord, stationId: string): string | null {
  if (r.endedAt === null) return null;
  const c = channels(r);
  const billsec = r.billableSeconds ?? 0;
  const duration = Math.max(billsec, Math.round(r.durationSeconds ?? 0));
  const extra = [`station=${stationId}`, `outcome=${r.outcome ?? ''}`, r.sipCode !== null ? `sip_code=${r.sipCode}` : null, r.policyRule ? `rule=${r.policyRule}` : null];
  return (
    [
      text(r.lineId),
      text(r.caller),
      text(r.destination),
      text(r.direction),
      text(r.caller ? `"${r.caller}" <${r.caller}>` : ''),
      text(c.channel),
      text(c.dstchannel),
      text(c.lastapp),
      text(c.lastdata),
      text(asteriskTime(r.startedAt)),
      text(asteriskTime(r.answeredAt)),
      text(asteriskTime(r.endedAt)),
      String(duration),
      String(billsec),
      text(asteriskDisposition(r)),
      text('DOCUMENTATION'),
      text(`${stationId}-${r.callId}`),
      text(extra.filter((e) => e !== null).join(';')),
    ].join(',') + '\n'
  );
}
