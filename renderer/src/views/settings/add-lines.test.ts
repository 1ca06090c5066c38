import { describe, expect, it } from 'vitest';
import { configFixture } from '../../test-support/config-fixture';
import { ADD_LINES_DEFAULTS, planLines, type AddLinesForm } from './add-lines';

const form = (patch: Partial<AddLinesForm> = {}): AddLinesForm => ({ ...ADD_LINES_DEFAULTS, pbx: 'office', ...patch });
const empty = configFixture({ lines: [] });

describe('adding lines for all phones', () => {
  it('gives each phone without a line the next extension, in grid order, with the pattern password', () => {
    const plan = planLines(form({ group: 'sales', codecs: 'pcmu G722' }), ['S1', 'S2', 'S3', 'S4'], empty);
    expect(plan).toEqual({
      ok: true,
      lines: [
        { id: 'wa1', serial: 'S1', pbx: 'office', user: '2001', password: 'pw2001', codecs: ['PCMU', 'G722'], enabled: true, group: 'sales' },
        { id: 'wa2', serial: 'S2', pbx: 'office', user: '2002', password: 'pw2002', codecs: ['PCMU', 'G722'], enabled: true, group: 'sales' },
        { id: 'wa3', serial: 'S3', pbx: 'office', user: '2003', password: 'pw2003', codecs: ['PCMU', 'G722'], enabled: true, group: 'sales' },
        { id: 'wa4', serial: 'S4', pbx: 'office', user: '2004', password: 'pw2004', codecs: ['PCMU', 'G722'], enabled: true, group: 'sales' },
      ],
    });
  });

  it('skips phones that already have a line and line ids already taken; keeps leading zeros; {n} counts the batch', () => {
    const draft = configFixture(); // wa1 on SERWA1, extension 2001
    const plan = planLines(form({ firstExtension: '0701', passwordPattern: 'x{n}-{ext}' }), ['SERWA1', 'S2', 'S3'], draft);
    expect(plan.ok && plan.lines.map((l) => [l.id, l.serial, l.user, l.password])).toEqual([
      ['wa2', 'S2', '0701', 'x1-0701'],
      ['wa3', 'S3', '0702', 'x2-0702'],
    ]);
  });

  it('takes passwords from a list, one per phone', () => {
    const plan = planLines(form({ passwordMode: 'list', passwordList: 'alpha\n beta \n\ngamma' }), ['S1', 'S2', 'S3'], empty);
    expect(plan.ok && plan.lines.map((l) => l.password)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('names the field of each mistake', () => {
    expect(planLines(form({ firstExtension: '20a1', codecs: 'G729, PCMU', group: 'two words', passwordPattern: ' ' }), ['S1'], empty)).toEqual({
      ok: false,
      errors: {
        firstExtension: 'must be digits, like 2001',
        codecs: 'G729: must be one of G722, PCMU, PCMA',
        group: 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit',
        passwordPattern: 'must not be empty (for example pw{ext})',
      },
    });
    expect(planLines(form({ passwordMode: 'list', passwordList: 'one' }), ['S1', 'S2'], empty)).toEqual({ ok: false, errors: { passwordList: '1 password for 2 phones: one per line, in grid order' } });
    expect(planLines(form({ codecs: '' }), ['S1'], empty)).toEqual({ ok: false, errors: { codecs: 'must list at least one codec' } });
    expect(planLines(form({ pbx: '' }), ['S1'], configFixture({ pbx: [], lines: [] }))).toEqual({ ok: false, errors: { pbx: 'add your PBX first' } });
  });

  it('refuses an extension range that runs into an existing line, and a farm with no phone left', () => {
    expect(planLines(form({ firstExtension: '2000' }), ['S1', 'S2'], configFixture())).toEqual({ ok: false, errors: { firstExtension: "extension 2001 is line wa1's already: start after it" } });
    expect(planLines(form(), ['SERWA1'], configFixture())).toEqual({ ok: false, errors: { firstExtension: 'every phone the station sees has a line already' } });
  });
});
