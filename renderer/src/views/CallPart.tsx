/** The call section of a line card: who, which way, how long, and how the audio is doing. */
import { memo } from 'react';
import type { CallView } from '../../../electron/station/api/types';
import { CallTimer } from '../components/CallTimer';
import { LevelMeter } from '../components/LevelMeter';

export const DIRECTION_LABELS: Record<CallView['direction'], string> = {
  'sip-to-whatsapp': 'PBX → WhatsApp',
  'whatsapp-to-sip': 'WhatsApp → PBX',
  'echo-test': 'echo test',
  'test-dial': 'test dial',
};

/** True when a display name only repeats the number ("+62 812-3456", "628123456"): it is then shown once. */
export function nameRepeatsNumber(name: string, number: string): boolean {
  return /^[+\d\s().-]+$/.test(name) && name.replace(/\D/g, '') === number;
}

/** A call with a SIP leg negotiates a codec; the operator's test dial and echo test have none to show. */
export function hasSipLeg(call: CallView): boolean {
  return call.direction === 'sip-to-whatsapp' || call.direction === 'whatsapp-to-sip';
}

/** Codec, levels and RTP figures of a live call. */
function CallMedia({ call }: { call: CallView }) {
  const stats = call.stats;
  return (
    <div className="call-media">
      {call.codec || hasSipLeg(call) ? (
        <span className="codec" data-testid="call-codec">
          {call.codec ?? 'no codec yet'}
        </span>
      ) : null}
      <LevelMeter dbfs={stats ? stats.levelInDbfs : null} label="PBX in" testId="level-in" />
      <LevelMeter dbfs={stats ? stats.levelOutDbfs : null} label="phone out" testId="level-out" />
      {stats ? (
        <span className="rtp-stats" title="RTP from the PBX: interarrival jitter and packets lost">
          jitter {stats.jitterMs.toFixed(1)} ms · lost {stats.lost}
          {stats.packetsReceived > 0 ? ` (${((100 * stats.lost) / (stats.lost + stats.packetsReceived)).toFixed(1)}%)` : ''}
        </span>
      ) : null}
      {stats?.foreignPackets ? (
        <span className="rtp-foreign bad-text" data-testid="rtp-foreign" title="RTP sent to this call's port by another source than the PBX's media: dropped">
          {stats.foreignPackets} foreign packets dropped
        </span>
      ) : null}
    </div>
  );
}

/**
 * A live call shows its timer, codec, levels and RTP figures; an ended one only who, which way and how
 * it ended (its last levels would read as a silent line).
 */
export const CallPart = memo(function CallPart({ call }: { call: CallView }) {
  const live = call.state !== 'ended';
  const name = call.name && !nameRepeatsNumber(call.name, call.number) ? call.name : '';
  return (
    <div className={`call call-${call.state}`} data-testid="call" data-call-state={call.state}>
      <div className="call-head">
        <span className="call-state">{call.state}</span>
        <span className="call-direction">{DIRECTION_LABELS[call.direction] ?? call.direction}</span>
        <span className="call-number" title={name || undefined}>
          +{call.number || '…'}
          {name ? <span className="call-name"> {name}</span> : null}
        </span>
        {live ? <CallTimer since={call.answeredAt ?? call.startedAt} /> : null}
      </div>
      {live ? <CallMedia call={call} /> : null}
      {call.rule ? <div className="call-rule">refused by rule {call.rule}</div> : null}
      {!live && call.outcome ? (
        <div className="call-outcome">
          ended: {call.outcome}
          {call.sipCode ? ` (SIP ${call.sipCode})` : ''}
          {call.endReason ? `: ${call.endReason}` : ''}
        </div>
      ) : null}
    </div>
  );
});
