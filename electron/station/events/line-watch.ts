/**
 * Turns changes of the grid into events-panel entries: a registration that fails or comes back, a phone
 * lost, unauthorized, failing or ready again, an agent without an audio route, a WhatsApp account that
 * is not healthy or healthy again (kind 'account'), a phone the heat and battery guard holds or lets go
 * (kind 'guard'). It compares successive
 * snapshots of the lines, so it reports what the operator would see change, once per change.
 */
import type { LineView } from '../api/types';
import { accountReason } from '../lines/line-health';
import type { EventLog } from './event-log';

interface Seen {
  registration: string;
  device: string;
  route: string | null;
  account: string | null;
  guard: string | null;
}

function seenOf(line: LineView): Seen {
  return {
    registration: line.registration.state,
    device: line.device?.state ?? 'absent',
    route: line.agent ? (line.agent.audioRoute ?? 'none') : null,
    account: line.account?.state ?? null,
    guard: line.guard?.trip ?? null,
  };
}

/** Snapshots are compared at most 10 times a second, not on every RTP stats tick. */
const COMPARE_EVERY_MS = 100;

export class LineWatch {
  private readonly seen = new Map<string, Seen>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly events: EventLog) {}

  /** The grid changed: compares it soon, as `lines` returns it then. */
  soon(lines: () => readonly LineView[]): void {
    if (this.stopped) return;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.update(lines());
    }, COMPARE_EVERY_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Compares the lines with the last snapshot and records what changed. */
  update(lines: readonly LineView[]): void {
    const present = new Set<string>();
    for (const line of lines) {
      present.add(line.id);
      const now = seenOf(line);
      const before = this.seen.get(line.id);
      this.seen.set(line.id, now);
      this.compare(line, before, now);
    }
    for (const id of [...this.seen.keys()]) if (!present.has(id)) this.seen.delete(id);
  }

  private compare(line: LineView, before: Seen | undefined, now: Seen): void {
    const id = line.id;
    if (now.registration !== before?.registration) {
      if (now.registration === 'failed') {
        const code = line.registration.code ? ` (${line.registration.code})` : '';
        this.events.add('error', 'registration', id, `registration failed${code}: ${line.registration.reason}`);
      } else if (now.registration === 'registered' && before?.registration !== 'in-call') {
        this.events.add('info', 'registration', id, `registered as ${line.sip?.user ?? id} on ${line.sip?.pbx ?? 'the PBX'}`);
      }
    }
    if (now.device !== before?.device) {
      const d = line.device;
      const model = d?.props?.model ? `${d.props.model} ` : '';
      if (now.device === 'lost') this.events.add('warn', 'device', id, `phone ${model}${d?.serial ?? ''} lost: ${d?.detail ?? ''}`.trim(), 'phone-lost');
      else if (now.device === 'unauthorized') this.events.add('warn', 'device', id, `phone ${d?.serial ?? ''} is unauthorized: accept the USB debugging prompt on the phone`, 'phone-unauthorized');
      else if (now.device === 'failed') this.events.add('error', 'device', id, `phone ${d?.serial ?? ''} failed: ${d?.lastError?.message ?? d?.detail ?? ''}`, 'phone-failed');
      else if (now.device === 'ready' && before !== undefined) this.events.add('info', 'device', id, `phone ${model}${d?.serial ?? ''} ready`);
    }
    if (now.route !== before?.route && now.route === 'none') {
      this.events.add('warn', 'agent', id, 'the agent has no audio route on this phone: calls would be silent', 'no-audio-route');
    } else if (now.route !== before?.route && before?.route === 'none' && now.route !== null) {
      this.events.add('info', 'agent', id, `the agent has an audio route again: ${now.route}`, 'no-audio-route');
    }
    this.compareHealth(line, before, now);
  }

  /** The account's state and the guard: error when a line stops taking calls, info when it takes them again. */
  private compareHealth(line: LineView, before: Seen | undefined, now: Seen): void {
    const id = line.id;
    const account = line.account?.state;
    // 'unknown' (the agent cannot read the screens) says nothing either way: it neither raises nor clears.
    if (account && account !== 'unknown' && now.account !== (before?.account ?? 'registered')) {
      if (account === 'registered') this.events.add('info', 'account', id, `${accountReason(id, account)} again: the line takes calls`);
      else this.events.add('error', 'account', id, `${accountReason(id, account)}: the line takes no calls until it is fixed`);
    }
    if (now.guard !== (before?.guard ?? null)) {
      if (line.guard) this.events.add('error', 'guard', id, `${line.guard.reason}: no new calls until it recovers`);
      else this.events.add('info', 'guard', id, `phone of ${id} is within the heat and battery limits again: the line takes calls`);
    }
  }
}
