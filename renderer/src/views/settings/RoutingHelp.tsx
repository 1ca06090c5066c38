/**
 * How the PBX must send calls to the lines, next to the routing settings: the sources the station reads
 * the WhatsApp number from, and the Asterisk/FreePBX dialplan lines for the configured prefixes and
 * the first line's extension, ready to paste.
 */
import type { StationConfig } from '../../../../electron/station/config/schema';

const SOURCE_WORDS: Record<string, string> = {
  'display-name': 'the caller’s display name',
  'caller-id': 'the caller ID',
  prefix: 'a dialled prefix (stripped)',
  dtmf: 'the number keyed in after the intro (DTMF)',
};

/**
 * The dialplan for the draft. A configured prefix stays in the caller ID, where the station strips it
 * (and sends a group's prefix to that group); with none configured, the example prefix 00111 is
 * stripped by the PBX. The echo-test prefix must reach the station too, so it is put in the caller ID.
 */
export function dialplanFor(draft: Pick<StationConfig, 'routing' | 'lines'>): string {
  const ext = draft.lines[0]?.user || '2001';
  const prefixes = draft.routing.prefixes.map((p) => p.prefix).filter((p) => /^\d+$/.test(p));
  const dial = [` same => n,Dial(PJSIP/${ext},60)`, ' same => n,Hangup()'];
  const lines = ['[to-whatsapp]'];
  if (prefixes.length === 0) lines.push('exten => _00111X.,1,Set(CALLERID(all)=${EXTEN:5})', ...dial);
  for (const p of prefixes) lines.push(`exten => _${p}X.,1,Set(CALLERID(all)=\${EXTEN})   ; the station strips ${p}`, ...dial);
  const test = draft.routing.testPrefix;
  if (test) lines.push(`exten => _${test}X.,1,Set(CALLERID(all)=\${EXTEN})   ; echo test`, ...dial);
  return lines.join('\n');
}

export function RoutingHelp({ draft }: { draft: StationConfig }) {
  const order = draft.routing.destinationOrder.map((s) => SOURCE_WORDS[s] ?? s);
  return (
    <div className="step" data-testid="routing-help">
      <h4>How the PBX sends calls to the lines</h4>
      <p>
        The PBX calls a line’s extension, as it calls a softphone. The station reads the WhatsApp number from {order.join(', then ')}. Put the dialled number in the caller ID (which fills the display name too): the station strips a
        configured prefix from it, and a prefix with a group sends the call to an idle line of that group. For Asterisk, or FreePBX in <code>extensions_custom.conf</code> reached from an outbound route or
        custom destination:
      </p>
      <pre className="dialplan" data-testid="dialplan">
        {dialplanFor(draft)}
      </pre>
    </div>
  );
}
