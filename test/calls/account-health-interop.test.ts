/**
 * Account health and the heat guard, end to end: three virtual phones on the real adb server, lines
 * wa1-wa3 of one hunting group registered on kamailio, baresip and SIPp callers through kamailio.
 *
 * wa1's WhatsApp account is banned on the simulated WhatsApp: the agent says so at once, the line shows
 * it (API view and an error entry in the events panel) and hunting gives wa1's calls to another line.
 * With wa2 logged out and wa3's phone hot as well, a call to wa1 or wa3 (SIPp, from the PBX's address) is
 * answered 503 with a Warning naming the reason, read from the SIP response SIPp received. Registered again and cooled, they take
 * calls again, and the events panel says so. The ban and the hot phone raise their alarms (the ban a
 * critical one naming the phone), and the ban's clears when the account is registered again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationLogEntry } from '../../electron/station/api/types';
import { dialOutcome, type Baresip } from '../support/baresip';
import { CallRig, ECHO } from '../support/call-rig';
import { runSipp } from '../support/sipp';
import { waitFor } from '../support/wait';

const rig = new CallRig({ phones: 3, line: { group: 'sales' } });
let desk: Baresip;

beforeAll(async () => {
  await rig.start();
  desk = await rig.deskPhone('PCMU', 'manual', ECHO);
}, 60_000);
afterAll(() => rig.stop());

const line = (id: string) => rig.station.line(id)!;
const phone = (i: number) => rig.farm.phones[i]!;
const kamailio = () => `${rig.kamailio.address}:${rig.kamailio.port}`;
const uri = (user: string) => `sip:${user}@${kamailio()}`;
const alarm = (rule: string, lineId: string) => rig.station.alarms!.view().recent.find((a) => a.rule === rule && a.lineId === lineId) ?? rig.station.alarms!.view().firing.find((a) => a.rule === rule && a.lineId === lineId);
const entries = (kind: StationLogEntry['kind'], lineId: string) =>
  rig.station.events.list().filter((e) => e.kind === kind && e.lineId === lineId).map((e) => `${e.level}: ${e.message}`).reverse();

/** A desk call to `user` that is answered; returns the line whose phone carried it, after hanging up. */
async function answeredBy(user: string): Promise<string> {
  const r = await dialOutcome(desk, uri(user));
  expect(r.established, r.reason).toBe(true);
  const { value: carrier } = await waitFor('the carrying line', () => rig.station.registry!.lines.find((l) => l.busy));
  const from = desk.events.length;
  desk.hangup();
  await desk.waitEvent((e) => e.type === 'CALL_CLOSED', 10_000, from);
  await waitFor('lines idle', () => rig.station.registry!.lines.every((l) => !l.busy), 10_000);
  return carrier.config.id;
}

/**
 * A SIPp call straight to the line from the PBX's address: the 503's status line and Warning, as
 * received. (Through kamailio the caller would get 500: a proxy must not pass a 503 on, RFC 3261 16.7.)
 */
async function refusal(lineId: string, user: string): Promise<{ status: string; warning: string }> {
  const messageFile = join(rig.dir, `sipp-${user}-${Date.now()}.log`);
  const remote = `127.0.0.1:${line(lineId).account!.transport.localPort!}`;
  const run = await runSipp({ scenario: 'uac-invite-503.xml', remote, service: user, keys: { caller_name: ECHO }, messageFile, timeoutMs: 15_000 });
  const trace = readFileSync(messageFile, 'utf8');
  expect(run.code, trace.slice(-3000)).toBe(0);
  const response = trace.split(/\r?\n/).findIndex((l) => l.startsWith('SIP/2.0 503'));
  const lines = trace.split(/\r?\n/).slice(response);
  return { status: lines[0]!, warning: lines.find((l) => /^Warning:/i.test(l)) ?? '' };
}

describe('a line whose WhatsApp account is not healthy', () => {
  it('is passed over by hunting, answers 503 with a Warning naming the reason, and takes calls again once registered', { timeout: 90_000 }, async () => {
    expect(line('wa1').view().account?.state).toBe('registered');

    const t0 = performance.now();
    phone(0).setAccountState('banned');
    const shown = await waitFor('wa1 shows the ban', () => line('wa1').view().account?.state === 'banned', 5_000);
    console.log(`account state banned reached the line view in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(shown.value).toBe(true);
    await waitFor('the events panel says so', () => entries('account', 'wa1').length > 0);
    expect(entries('account', 'wa1')).toEqual(['error: WhatsApp account of wa1 is banned: the line takes no calls until it is fixed']);
    // The alarm the operator is paged with: critical, firing, naming the line and its phone.
    const { value: banned } = await waitFor('the account alarm firing', () => rig.station.alarms!.view().firing.find((a) => a.rule === 'account-unhealthy' && a.lineId === 'wa1'), 5_000);
    expect(banned).toMatchObject({ severity: 'critical', state: 'firing', serial: phone(0).serial });

    // Hunting: the call to wa1's extension is carried by another line of the group.
    expect(await answeredBy('2001')).not.toBe('wa1');

    // wa2 logged out and wa3 hot: nothing in the group can take a call to wa1.
    phone(1).setAccountState('logged-out');
    phone(2).updateDevice({ temperatureDeciC: 481 });
    await waitFor('wa2 logged out, wa3 guarded', () => line('wa2').view().account?.state === 'logged-out' && line('wa3').view().guard?.trip === 'hot', 5_000);
    await waitFor('the guard in the events panel', () => entries('guard', 'wa3').length > 0);
    expect(entries('guard', 'wa3')).toEqual(['error: phone of wa3 is too hot (48.1 °C, limit 45 °C): no new calls until it recovers']);
    expect(line('wa3').view().guard).toMatchObject({ trip: 'hot', reason: 'phone of wa3 is too hot (48.1 °C, limit 45 °C)' });
    await waitFor('the guard alarm firing', () => rig.station.alarms!.view().firing.some((a) => a.rule === 'phone-guard' && a.lineId === 'wa3'), 5_000);

    const t1 = performance.now();
    const toWa1 = await refusal('wa1', '2001');
    console.log(`503 to a call for a banned line in ${(performance.now() - t1).toFixed(0)} ms (SIPp start to end)`);
    expect(toWa1.status).toBe('SIP/2.0 503 Service Unavailable');
    expect(toWa1.warning).toBe('Warning: 399 sip2wa "account-health: WhatsApp account of wa1 is banned"');
    const toWa3 = await refusal('wa3', '2003');
    expect(toWa3.warning).toBe('Warning: 399 sip2wa "phone-guard: phone of wa3 is too hot (48.1 °C, limit 45 °C)"');
    const { value: refused } = await waitFor('both refusals recorded', () => {
      const newest = rig.station.callLog!.query({}, { limit: 5 }).records.slice(0, 2);
      return newest.every((r) => r.outcome === 'filtered' && r.endedAt) ? newest : null;
    });
    expect(refused.map((r) => [r.lineId, r.outcome, r.sipCode, r.policyRule])).toEqual([
      ['wa3', 'filtered', 503, 'phone-guard'],
      ['wa1', 'filtered', 503, 'account-health'],
    ]);
    // No phone dialled for the refused calls: WhatsApp saw nothing of them.
    expect([0, 1, 2].map((i) => rig.farm.whatsapp.callsPlaced(phone(i).device.account, ECHO)).reduce((a, b) => a + b)).toBe(1);

    // Registered again: wa1 takes its own calls; the events panel says it is well again.
    phone(0).setAccountState('registered');
    await waitFor('wa1 registered again', () => line('wa1').view().account?.state === 'registered', 5_000);
    await waitFor('the recovery in the events panel', () => entries('account', 'wa1').length > 1);
    expect(entries('account', 'wa1').at(-1)).toBe('info: WhatsApp account of wa1 is registered again: the line takes calls');
    await waitFor('the account alarm cleared', () => alarm('account-unhealthy', 'wa1')?.state === 'cleared', 5_000);
    expect(await answeredBy('2001')).toBe('wa1');

    // Cooling below the limit is not enough (45 °C); at 42 °C the guard lets wa3 go.
    phone(2).updateDevice({ temperatureDeciC: 440 });
    await waitFor('wa3 reading 44 °C', () => line('wa3').view().agent?.temperatureDeciC === 440, 5_000);
    expect(line('wa3').view().guard?.trip).toBe('hot');
    phone(2).updateDevice({ temperatureDeciC: 415 });
    await waitFor('wa3 cooled', () => line('wa3').view().guard === null, 5_000);
    await waitFor('the guard lifted in the events panel', () => entries('guard', 'wa3').length > 1);
    expect(entries('guard', 'wa3').at(-1)).toBe('info: phone of wa3 is within the heat and battery limits again: the line takes calls');
    expect(await answeredBy('2003')).toBe('wa3');
  });
});
