/** 64 lines register on one kamailio, all at once and paced by the RegistrationScheduler. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureRegistrations, passwordsFor } from '../../bench/registration';
import { configureSipTimers } from '../../electron/station/sip/sip-timers';
import { Kamailio } from '../support/kamailio';

let kamailio: Kamailio;
beforeAll(async () => {
  configureSipTimers();
  kamailio = await Kamailio.start({ users: passwordsFor(64) });
});
afterAll(async () => {
  await kamailio?.dispose();
});

describe('64 lines', () => {
  it('all register without pacing, and with pacing spread over about 64 gaps', async () => {
    const burst = await measureRegistrations(kamailio, 64, 0);
    // A burst may see a transient failure under load (it is retried); every line still registers.
    if (burst.failures) console.log(`burst failures: ${burst.failureReasons.join('; ')}`);
    const paced = await measureRegistrations(kamailio, 64, 30);
    expect(paced.failures).toBe(0);
    expect(paced.allRegisteredMs).toBeGreaterThan(55 * 30);
    console.log(`64 lines: burst ${Math.round(burst.allRegisteredMs)} ms, paced (30 ms) ${Math.round(paced.allRegisteredMs)} ms`);
    expect(await kamailio.registeredCount()).toBe(0); // every line un-registered on stop
  }, 60_000);
});
