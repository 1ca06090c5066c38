/**
 * Which phone carries a PBX user's call. The line the PBX called is preferred when its phone is free
 * and its limits allow; otherwise, with hunting on, an idle line of its group (or of the group a
 * routing prefix named) takes it, least recently used first. The policy engine decides what its rules
 * allow; rules about the number (not on WhatsApp, offline repeats, early hang-ups, patterns) refuse the
 * call on every line, so they end the search. A line out of service (its WhatsApp account unhealthy, its
 * phone too hot or flat: line-health.ts) is never picked; when no other line takes the call it is
 * refused with 503 and the first such line's reason, which the caller reads in the Warning.
 */
import type { PhoneEnd } from '../calls/call';
import type { Refusal } from '../calls/sip-to-whatsapp';
import type { PolicyEngine } from '../policy/policy-engine';
import { createLogger, type Logger } from '../util/log';
import type { Line } from './line';

const NUMBER_RULES = new Set(['destination-patterns', 'not-on-whatsapp', 'early-hangup', 'offline-repeat']);

export interface HuntRequest {
  callerId: string;
  number: string;
  /** The group a routing prefix named. */
  group?: string;
}

export type HuntResult = { phone: PhoneEnd; line: Line; maxDurationS: number | null } | { refused: Refusal };

/**
 * The log of a PBX user's call, tagged with the line that carries it: the called line until a phone
 * is picked, then the carrying line (with `called` naming the extension when the call was hunted), so
 * an operator reading wa1's log sees every call wa1's phone and WhatsApp account made.
 */
export function huntedCallLog(calledLineId: string): { log: Logger; carriedBy(lineId: string): void } {
  let current = createLogger('calls', { line: calledLineId });
  const log: Logger = {
    debug: (m) => current.debug(m),
    info: (m) => current.info(m),
    warn: (m) => current.warn(m),
    error: (m) => current.error(m),
    child: (more) => current.child(more),
  };
  return {
    log,
    carriedBy(lineId) {
      current = createLogger('calls', lineId === calledLineId ? { line: lineId } : { line: lineId, called: calledLineId });
    },
  };
}

export function pickPhone(all: readonly Line[], sipLine: Line, policy: PolicyEngine, hunting: boolean, req: HuntRequest): HuntResult {
  // The operator's run-time switch, not the configured flag: a line switched off now is never hunted.
  const ready = (l: Line): boolean => l.enabled && l.port.isUp;
  const group = req.group ?? sipLine.config.group;
  const own = !req.group || sipLine.config.group === req.group;
  let firstRefusal: Refusal | null = null;
  const down = (l: Line): Refusal | null => {
    const out = l.outOfService();
    return out && { code: 503, rule: out.rule, reason: 'Service Unavailable', detail: out.reason };
  };
  const ownDown = own ? down(sipLine) : null;
  if (ownDown) firstRefusal = ownDown;
  else if (own) {
    const v = policy.checkOutbound({ line: sipLine.config.id, callerId: req.callerId, number: req.number, lineBusy: sipLine.busy || !ready(sipLine) });
    if (v.allow) return { phone: sipLine.phoneEnd(), line: sipLine, maxDurationS: v.maxDurationS };
    if (NUMBER_RULES.has(v.rule)) return { refused: v };
    firstRefusal = v;
  }
  const candidates = hunting && group ? all.filter((l) => l !== sipLine && l.config.group === group && ready(l)) : [];
  const others = candidates.filter((l) => !l.outOfService());
  if (others.length === 0) {
    const groupDown = candidates.map(down).find((r) => r !== null);
    return { refused: firstRefusal ?? groupDown ?? { code: 486, rule: 'one-call-per-line', reason: `no line of group ${group ?? '(none)'} is ready` } };
  }
  const hunt = policy.hunt({ lines: others.map((l) => ({ line: l.config.id, busy: l.busy })), callerId: req.callerId, number: req.number });
  if (!hunt.allow) return { refused: firstRefusal && hunt.code !== 486 ? hunt : (firstRefusal ?? hunt) };
  const line = others.find((l) => l.config.id === hunt.line)!;
  return { phone: line.phoneEnd(), line, maxDurationS: hunt.maxDurationS };
}
