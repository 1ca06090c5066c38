/**
 * Follows a live call and keeps its record: written when the call starts, updated as it rings, is
 * answered, is carried by a phone (maybe another line's, when hunted) and reports RTP statistics, and
 * completed when it ends. The call log's heartbeat keeps an open record's last-write time fresh, so a
 * crash is dated well by `recoverInterrupted`.
 */
import type { Call } from './call';
import type { CallView } from './call-state';
import type { Logger } from '../util/log';
import type { CallLog } from '../calllog/call-log';
import type { CallUpdate, DestinationSource } from '../calllog/call-record';

export interface RecordedLine {
  id: string;
  serial: string;
  sipAccount: string | null;
}

/** How often RTP statistics are written during a call. */
const STATS_EVERY_MS = 5_000;

function updateOf(view: CallView, call: Call): CallUpdate {
  return {
    sipCallId: call.sipCallId,
    carrierLineId: call.phone?.lineId ?? null,
    deviceSerial: call.phone?.serial ?? null,
    whatsappAccount: call.phone?.account ?? null,
    destination: view.number,
    destinationSource: (view.destinationSource as DestinationSource | null) ?? null,
    ringingAt: view.ringingAt ? Date.parse(view.ringingAt) : null,
    answeredAt: view.answeredAt ? Date.parse(view.answeredAt) : null,
    codec: view.codec,
    rtp: view.stats,
  };
}

/** Follows `call` into the call log; returns its record's id (null when the record could not be written). */
export function recordCall(log: CallLog, call: Call, line: RecordedLine, logger: Logger): string | null {
  const view = call.view();
  let id: string;
  try {
    id = log.start({
      callId: call.id,
      sipCallId: call.sipCallId,
      direction: call.direction,
      lineId: line.id,
      carrierLineId: call.phone?.lineId ?? null,
      deviceSerial: call.phone?.serial ?? line.serial,
      whatsappAccount: call.phone?.account ?? null,
      sipAccount: line.sipAccount,
      caller: call.callerId,
      destination: view.number,
      destinationSource: (view.destinationSource as DestinationSource | null) ?? null,
      startedAt: call.startedAt.getTime(),
    });
  } catch (err) {
    // A full disk must not take calls down with it: the call goes on unrecorded, loudly.
    logger.error(`call ${call.id}: cannot write its record: ${(err as Error).message}`);
    return null;
  }
  let last = { state: view.state, ringingAt: view.ringingAt, answeredAt: view.answeredAt, statsAt: 0 };
  call.on('change', (v) => {
    try {
      if (v.state === 'ended') {
        const finished = log.finish(id, {
          ...updateOf(v, call),
          outcome: v.outcome ?? 'error',
          endedAt: v.endedAt ? Date.parse(v.endedAt) : Date.now(),
          sipCode: v.sipCode,
          hangupSide: v.hangupSide,
          policyRule: v.rule,
          endReason: v.endReason,
          endCause: v.endCause,
          billedUntil: call.billedUntil,
        });
        // A cause learnt after the end (the PBX refused the station's BYE) completes the record.
        if (!finished && v.endCause) log.update(id, { endCause: v.endCause, endReason: v.endReason });
        return;
      }
      const now = Date.now();
      const milestone = v.state !== last.state || v.ringingAt !== last.ringingAt || v.answeredAt !== last.answeredAt;
      if (milestone || (v.stats && now - last.statsAt >= STATS_EVERY_MS)) {
        log.update(id, updateOf(v, call));
        last = { state: v.state, ringingAt: v.ringingAt, answeredAt: v.answeredAt, statsAt: v.stats ? now : last.statsAt };
      }
    } catch (err) {
      logger.error(`call ${call.id}: cannot update its record: ${(err as Error).message}`);
    }
  });
  return id;
}
