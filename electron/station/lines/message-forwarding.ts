/**
 * A line's WhatsApp messages: each one received is recorded (with the busy auto-replies the line sent
 * by itself) and forwarded by the configured rules (`messages.forward`) from the same phone, to a
 * number or a group, so the office reads what callers wrote to its WhatsApp accounts.
 */
import type { MessageLog } from '../calllog/message-log';
import type { StationConfig } from '../config/schema';
import type { PolicyEngine } from '../policy/policy-engine';
import { createLogger } from '../util/log';
import type { Line } from './line';

export interface MessageForwardingDeps {
  messages: MessageLog;
  /** A caller who wrote counts as one who reached the line (the policy's inbound memory). */
  policy: PolicyEngine;
  /** The configuration in force: its forwarding rules. */
  config(): StationConfig;
}

export function forwardMessages(line: Line, deps: MessageForwardingDeps): void {
  const id = line.config.id;
  const log = createLogger('messages', { line: id });
  const { messages } = deps;
  line.on('auto-reply', (r) => messages.record({ lineId: id, direction: 'auto-reply', peer: r.to, name: '', text: r.text, at: Date.now() }));
  line.on('whatsapp-message', (m) => {
    deps.policy.noteInbound(id, m.from);
    messages.record({ lineId: id, direction: 'received', peer: m.from, name: m.name, text: m.text, at: m.time || Date.now() });
    for (const rule of deps.config().messages.forward) {
      if (rule.line && rule.line !== id) continue;
      const to = rule.toNumber ?? `group:${rule.toGroup}`;
      const text = `From +${m.from}${m.name ? ` (${m.name})` : ''} on ${id}: ${m.text}`;
      if (line.sendMessage(to, text)) messages.record({ lineId: id, direction: 'forwarded', peer: to, name: '', text, at: Date.now() });
      else log.warn(`could not forward a message to ${to}: the phone is not reachable`);
    }
  });
}
