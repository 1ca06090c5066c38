/**
 * Registration bench: 64 lines register on a real kamailio (UDP, digest auth) with the
 * RegistrationScheduler's pacing off and on; reports the time until every line is registered, the
 * REGISTER retransmissions and the failures seen on the way. Needs the Debian kamailio package.
 */
import { SipAccount } from '../electron/station/sip/sip-account';
import { RegistrationState } from '../electron/station/sip/registration';
import { RegistrationScheduler } from '../electron/station/sip/registration-scheduler';
import { configureSipTimers } from '../electron/station/sip/sip-timers';
import type { UdpTransport } from '../electron/station/sip/transport/udp-transport';
import { Kamailio } from '../test/support/kamailio';
import { waitFor } from '../test/support/wait';

export interface RegistrationRun {
  lines: number;
  gapMs: number;
  allRegisteredMs: number;
  retransmissions: number;
  failures: number;
  /** `code reason` of each failure on the way (all lines still ended registered). */
  failureReasons: string[];
}

/** Registers `lines` lines with the given pacing gap (0 = all at once) on `kamailio`, then un-registers. */
export async function measureRegistrations(kamailio: Kamailio, lines: number, gapMs: number, userBase = 1000): Promise<RegistrationRun> {
  const scheduler = new RegistrationScheduler({ gapMs, burst: 4 });
  const accounts = await Promise.all(
    Array.from({ length: lines }, (_, i) =>
      SipAccount.create(
        { pbx: { host: kamailio.address, port: kamailio.port, transport: 'udp', registerExpires: 300, keepaliveSeconds: 0 }, line: { user: String(userBase + i), password: `pw${userBase + i}` } },
        { localAddress: kamailio.address, scheduler },
      ),
    ),
  );
  const failureReasons: string[] = [];
  for (const a of accounts) {
    a.registration.on('change', (s) => {
      if (s.state === RegistrationState.Failed) failureReasons.push(`${s.code ?? ''} ${s.reason ?? ''}`.trim());
    });
  }
  const t0 = performance.now();
  try {
    await Promise.all(accounts.map((a) => a.start()));
    await waitFor(`${lines} lines registered`, () => accounts.every((a) => a.registration.status.state === RegistrationState.Registered), 60_000, 5);
    const allRegisteredMs = performance.now() - t0;
    const retransmissions = accounts.reduce((n, a) => n + (a.transport as UdpTransport).retransmitStats.retransmissions, 0);
    return { lines, gapMs, allRegisteredMs, retransmissions, failures: failureReasons.length, failureReasons };
  } finally {
    await Promise.all(accounts.map((a) => a.stop()));
  }
}

export function passwordsFor(lines: number, userBase = 1000): Record<string, string> {
  return Object.fromEntries(Array.from({ length: lines }, (_, i) => [String(userBase + i), `pw${userBase + i}`]));
}

export async function runRegistrationBench(): Promise<string> {
  configureSipTimers();
  const lines = 64;
  const kamailio = await Kamailio.start({ users: passwordsFor(lines) });
  try {
    const rows: string[] = [];
    for (const gapMs of [0, 50]) {
      const r = await measureRegistrations(kamailio, lines, gapMs);
      rows.push(
        `registration: ${r.lines} lines over UDP to kamailio, spreading ${gapMs ? `on (${gapMs} ms gap, burst 4)` : 'off'}: ` +
          `all registered in ${Math.round(r.allRegisteredMs)} ms, ${r.retransmissions} retransmissions, ${r.failures} failures${r.failures ? ` (${[...new Set(r.failureReasons)].join('; ')})` : ''}`,
      );
    }
    return rows.join('\n');
  } finally {
    await kamailio.dispose();
  }
}
