/** The call section of a line card: who, which way, how long, and how the audio is doing. */
import { memo } from 'react';
import type { CallView } from '../../../electron/station/api/types';
import { CallTimer } from '../components/CallTimer';
import { LevelMeter } from '../components/LevelMeter';

const DIRECTION_LABELS: Record<CallView['direction'], string> = {
  'sip-to-whatsapp': 'PBX → WhatsApp',
  'whatsapp-to-sip': 'WhatsApp → PBX',
  'echo-test': 'echo test',
  'test-dial': 'test dial',
};

export const CallPart = memo(function CallPart({ call }: { call: CallView }) {
  const live = call.state !== 'ended';
  const stats = call.stats;
  return (
    <div className={`call call-${call.state}`} data-testid="call" data-call-state={call.state}>
      <div className="call-head">
        <span className="call-state">{call.state}</span>
        <span className="call-direction">{DIRECTION_LABELS[call.direction] ?? call.direction}</span>
        <span className="call-number" title={call.name || undefined}>
          +{call.number || '…'}
          {call.name ? <span className="call-name"> {call.name}</span> : null}
        </span>
        {live ? <CallTimer since={call.answeredAt ?? call.startedAt} /> : null}
      </div>
      <div className="call-media">
        <span className="codec" data-testid="call-codec">
          {call.codec ?? 'no codec yet'}
        </span>
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
      {call.rule ? <div className="call-rule">refused by rule {call.rule}</div> : null}
      {!live && call.outcome ? (
        <div className="call-outcome">
          ended: {call.outcome}
          {call.sipCode ? ` (SIP ${call.sipCode})` : ''}
        </div>
      ) : null}
    </div>
  );
});
