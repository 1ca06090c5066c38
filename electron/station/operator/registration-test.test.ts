import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema';
import type { ProbeResult } from '../sip/probe-outcome';
import type { ProbeRequest } from '../sip/registration-probe';
import { RegistrationTest } from './registration-test';

const current = configSchema.parse({
  version: 1,
  pbx: [{ id: 'office', host: '127.0.0.1', port: 5060 }],
  lines: [{ id: 'wa1', serial: 'S1', pbx: 'office', user: '2001', password: 'stored-secret' }],
});
const pbx = { id: 'office', host: '127.0.0.1', port: 5070, transport: 'tcp' };
const answer: ProbeResult = { ok: true, outcome: 'registered', code: 200, words: 'registered', target: '127.0.0.1:5070 over TCP' };

describe('the registration test', () => {
  it('tests the draft as given, a masked password standing for the stored one of that line', async () => {
    const seen: ProbeRequest[] = [];
    const test = new RegistrationTest(() => current, async (req) => (seen.push(req), answer));
    await test.run({ pbx, line: { id: 'wa1', serial: 'S1', user: '2001', password: '********', codecs: ['PCMU'] }, timeoutS: 3 });
    expect(seen[0]).toMatchObject({ pbx: { host: '127.0.0.1', port: 5070, transport: 'tcp' }, line: { user: '2001', password: 'stored-secret' }, timeoutMs: 3000 });
    await test.run({ pbx, line: { id: 'wa1', user: '2001', password: 'typed' }, timeoutS: 3 });
    expect(seen[1]!.line!.password).toBe('typed');
  });

  it('refuses a bad draft naming the field, and a masked password of a line not yet saved', async () => {
    const test = new RegistrationTest(() => current, async () => answer);
    await expect(test.run({ pbx: { ...pbx, port: 70000 }, timeoutS: 3 })).rejects.toThrow('registration test: pbx.port: must be 1-65535');
    await expect(test.run({ pbx, line: { user: '20 01', password: 'x' }, timeoutS: 3 })).rejects.toThrow(/line\.user: must be a SIP user part/);
    await expect(test.run({ pbx, line: { id: 'wa9', user: '2009', password: '********' }, timeoutS: 3 })).rejects.toThrow('line.password: enter the password of this new line');
  });

  it('runs one test at a time', async () => {
    let release!: () => void;
    const test = new RegistrationTest(() => current, () => new Promise((resolve) => (release = () => resolve(answer))));
    const first = test.run({ pbx, timeoutS: 3 });
    await expect(test.run({ pbx, timeoutS: 3 })).rejects.toThrow('a registration test (127.0.0.1) is still running; one test at a time');
    release();
    await expect(first).resolves.toBe(answer);
    const third = test.run({ pbx, timeoutS: 3 });
    release();
    await expect(third).resolves.toBe(answer);
  });
});
