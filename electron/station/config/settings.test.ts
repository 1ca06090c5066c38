import { describe, expect, it } from 'vitest';
import { REDACTED, redactConfig } from './config-file';
import { configSchema } from './schema';
import { validateSettings } from './settings';

const current = configSchema.parse({
  version: 1,
  pbx: [{ id: 'office', host: '127.0.0.1' }],
  lines: [{ id: 'wa1', serial: 'S1', pbx: 'office', user: '201', password: 'secret-201' }],
});

describe('settings', () => {
  it('keeps a password the page sent back masked, and takes a new one as typed', () => {
    const edited = redactConfig(current);
    expect(JSON.stringify(edited)).not.toContain('secret-201');
    expect(validateSettings(edited, current).lines[0]!.password).toBe('secret-201');
    const changed = { ...edited, lines: [{ ...edited.lines[0]!, password: 'new-one' }] };
    expect(validateSettings(changed, current).lines[0]!.password).toBe('new-one');
  });

  it('asks for the password of a new line instead of storing the mask', () => {
    const edited = redactConfig(current);
    const added = { ...edited, lines: [...edited.lines, { id: 'wa2', serial: 'S2', pbx: 'office', user: '202', password: REDACTED }] };
    expect(() => validateSettings(added, current)).toThrow('lines[1].password: enter the password of this new line');
  });

  it('refuses a bad value naming the field, as the configuration file does', () => {
    const edited = { ...redactConfig(current), pbx: [{ id: 'office', host: '127.0.0.1', port: 70000 }] };
    expect(() => validateSettings(edited, current)).toThrow('pbx[0].port: must be 1-65535');
  });
});
