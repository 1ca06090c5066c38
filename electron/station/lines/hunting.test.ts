/**
 * Which phone carries a PBX user's call: the called line while it may, else an idle, ready line of its
 * group, least recently used first. Lines are real `Line`s (never started, so they touch no device or
 * SIP account) with an agent link the test opens; the policy engine is the real one on SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Call } from '../calls/call';
import { guardSchema, lineSchema, type PbxConfig } from '../config/schema';
import type { AgentInfo } from '../devices/agent-link';
import type { AgentLink } from '../devices/agent-link';
import { PolicyFixture, policy } from '../policy/policy-fixture';
import { createLogger, setLogLevel } from '../util/log';
import { pickPhone, type HuntRequest } from './hunting';
import { Line, type LineDeps } from './line';

const PBX = { id: 'pbx', host: '192.0.2.10' } as PbxConfig;
const REQ: HuntRequest = { callerId: '1001', number: '15550109001' };

let fixture: PolicyFixture;

beforeEach(() => {
  setLogLevel('silent');
  fixture = new PolicyFixture();
});

afterEach(() => fixture.close());

/** A line of group `sales` (unless told otherwise) whose phone's agent is connected. */
function line(id: string, over: { group?: string | null; enabled?: boolean; phoneUp?: boolean } = {}): Line {
  const group = over.group === undefined ? 'sales' : (over.group ?? undefined);
  const cfg = lineSchema.parse({ id, serial: `R58M-${id}`, pbx: 'pbx', user: `10${id.slice(2)}`, password: 'secret', group, enabled: over.enabled ?? true });
  const l = new Line(cfg, PBX, {} as LineDeps);
  if (over.phoneUp ?? true) {
    const link = { isOpen: true, port: 5000, software: 'test', on: () => () => undefined, send: () => undefined };
    l.port.attach(link as unknown as AgentLink);
  }
  return l;
}

/** The line's phone carries a call that has not ended. */
function busy(l: Line): Line {
  l.call = new Call('sip-to-whatsapp', '15550109999', createLogger('test'), { sipLineId: l.config.id, callerId: '1002' });
  return l;
}

function carrier(all: Line[], called: Line, opts: { hunting?: boolean; req?: Partial<HuntRequest> } = {}): string {
  const picked = pickPhone(all, called, fixture.engine, opts.hunting ?? true, { ...REQ, ...opts.req });
  return 'refused' in picked ? `refused ${picked.refused.code} ${picked.refused.rule}` : picked.line.config.id;
}

describe('pickPhone', () => {
  it('gives the call to the line the PBX called while its phone is free', () => {
    const [wa1, wa2] = [line('wa1'), line('wa2')];
    expect(carrier([wa1, wa2], wa1)).toBe('wa1');
  });

  it('hunts an idle line of the group when the called line is busy', () => {
    const [wa1, wa2, wa3] = [busy(line('wa1')), line('wa2', { group: 'support' }), line('wa3')];
    expect(carrier([wa1, wa2, wa3], wa1)).toBe('wa3');
  });

  it('takes the least recently used line of the group first', () => {
    const [wa1, wa2, wa3] = [busy(line('wa1')), line('wa2'), line('wa3')];
    fixture.record('15550100001', { line: 'wa3', answered: true, outcome: 'answered', hangupSide: 'sip' });
    fixture.advance(60_000);
    fixture.record('15550100002', { line: 'wa2', answered: true, outcome: 'answered', hangupSide: 'sip' });
    expect(carrier([wa1, wa2, wa3], wa1)).toBe('wa3');
  });

  it('skips a line whose phone is busy', () => {
    const [wa1, wa2, wa3] = [busy(line('wa1')), busy(line('wa2')), line('wa3')];
    expect(carrier([wa1, wa2, wa3], wa1)).toBe('wa3');
  });

  it('skips a line whose phone is not ready, and hunts past a called line whose phone is gone', () => {
    const [wa1, wa2, wa3] = [line('wa1', { phoneUp: false }), line('wa2', { phoneUp: false }), line('wa3')];
    expect(carrier([wa1, wa2, wa3], wa1)).toBe('wa3');
  });

  it('never hunts a line the operator switched off at run time', () => {
    const [wa1, wa2, wa3] = [busy(line('wa1')), line('wa2'), line('wa3')];
    fixture.record('15550100001', { line: 'wa2', answered: true, outcome: 'answered', hangupSide: 'sip' });
    wa3.setEnabled(false);
    expect(carrier([wa1, wa2, wa3], wa1)).toBe('wa2');
    wa2.setEnabled(false);
    expect(carrier([wa1, wa2, wa3], wa1)).toBe('refused 486 one-call-per-line');
  });

  it('never hunts a line switched off in the configuration', () => {
    const [wa1, wa2] = [busy(line('wa1')), line('wa2', { enabled: false })];
    expect(carrier([wa1, wa2], wa1)).toBe('refused 486 one-call-per-line');
  });

  it('refuses with 486 when hunting is off or the called line has no group', () => {
    const [wa1, wa2] = [busy(line('wa1')), line('wa2')];
    expect(carrier([wa1, wa2], wa1, { hunting: false })).toBe('refused 486 one-call-per-line');
    const [solo, other] = [busy(line('wa3', { group: null })), line('wa4', { group: null })];
    expect(carrier([solo, other], solo)).toBe('refused 486 one-call-per-line');
  });

  it('sends a call whose prefix named a group to that group, not to the called line', () => {
    const [wa1, wa2] = [line('wa1'), line('wa2', { group: 'support' })];
    expect(carrier([wa1, wa2], wa1, { req: { group: 'support' } })).toBe('wa2');
  });

  it('ends the search at a rule about the number: no other line would be allowed either', () => {
    fixture.reconfigure(policy({ destinationPatterns: { deny: ['1555'] } }));
    const [wa1, wa2] = [line('wa1'), line('wa2')];
    expect(carrier([wa1, wa2], wa1)).toBe('refused 503 destination-patterns');
  });

  it('passes over a line whose account is banned or whose phone is hot, and answers 503 naming why when none is left', () => {
    const [wa1, wa2, wa3] = [reports(line('wa1'), { accountState: 'banned' }), line('wa2'), line('wa3')];
    expect(carrier([wa1, wa2, wa3], wa1)).toBe('wa2');
    reports(wa2, { temperatureDeciC: 481 });
    expect(carrier([wa1, wa2, wa3], wa2)).toBe('wa3');
    reports(wa3, { accountState: 'logged-out' });
    const picked = pickPhone([wa1, wa2, wa3], wa1, fixture.engine, true, REQ);
    expect(picked).toEqual({ refused: { code: 503, rule: 'account-health', reason: 'Service Unavailable', detail: 'WhatsApp account of wa1 is banned' } });
    // Through a prefix's group, the called line's own state does not matter: the group's first reason does.
    const viaGroup = pickPhone([wa1, wa2, wa3, line('wa4', { group: 'support' })], line('wa4', { group: 'support' }), fixture.engine, true, { ...REQ, group: 'sales' });
    expect(viaGroup).toMatchObject({ refused: { code: 503, rule: 'account-health', detail: 'WhatsApp account of wa1 is banned' } });
    const hotSolo = reports(line('wa5', { group: null }), { temperatureDeciC: 481 });
    expect(carrier([hotSolo], hotSolo)).toBe('refused 503 phone-guard');
  });

  it('takes a line back once its account is registered again, and an unknown state does not stop it', () => {
    const [wa1, wa2] = [reports(line('wa1'), { accountState: 'banned' }), line('wa2')];
    expect(carrier([wa1, wa2], wa1)).toBe('wa2');
    reports(wa1, { accountState: 'registered' });
    expect(carrier([wa1, wa2], wa1)).toBe('wa1');
    reports(wa1, { accountState: 'unknown' });
    expect(carrier([wa1, wa2], wa1)).toBe('wa1');
  });
});

const HEALTHY: AgentInfo = {
  software: 'test', account: '', whatsappVersion: '2.24', androidVersion: '14', sdk: 34, manufacturer: 'x', model: 'y',
  batteryLevel: 80, charging: true, temperatureDeciC: 300, networkType: 'wifi', signalLevel: 4, audioRoute: 'simulated', accountState: 'registered',
};

/** The line's agent reports this (as its info would reach the line). */
function reports(l: Line, info: Partial<AgentInfo>): Line {
  l.health.update({ ...HEALTHY, ...info }, guardSchema.parse({}));
  return l;
}
