import { describe, expect, it } from 'vitest';
import { REDACTED, redactConfig } from './config-file';
import { configSchema } from './schema';
import { sealSecrets, type SecretCodec } from './secrets';
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

  it('masks webhook secrets and the SMTP password like line passwords, keeps them when sent back masked, and seals them', () => {
    const withAlarms = configSchema.parse({
      ...current,
      webhooks: { receivers: [{ id: 'ops', url: 'https://ops.example.com/hook', secret: 'hook-secret-0123456789' }] },
      email: { host: 'smtp.example.com', user: 'alarms', password: 'smtp-secret', from: 'st@example.com', to: ['ops@example.com'] },
    });
    const edited = redactConfig(withAlarms);
    expect(JSON.stringify(edited)).not.toMatch(/hook-secret|smtp-secret/);
    const back = validateSettings(edited, withAlarms);
    expect([back.webhooks.receivers[0]!.secret, back.email!.password]).toEqual(['hook-secret-0123456789', 'smtp-secret']);
    const added = { ...edited, webhooks: { ...edited.webhooks, receivers: [...edited.webhooks.receivers, { id: 'crm', url: 'https://crm.example.com/', secret: REDACTED }] } };
    expect(() => validateSettings(added, withAlarms)).toThrow('webhooks.receivers[1].secret: enter the secret of this new receiver');
    const codec: SecretCodec = { kind: 'encrypted', seal: (v) => `enc:v1:${Buffer.from(v).toString('base64')}`, open: (v) => v };
    const sealed = JSON.stringify(sealSecrets(withAlarms, codec));
    expect(sealed).not.toMatch(/hook-secret|smtp-secret|secret-201/);
  });

  it('refuses a receiver URL that is not http(s) and a short secret, naming the field', () => {
    const doc = { ...redactConfig(current), webhooks: { receivers: [{ id: 'ops', url: 'ftp://x', secret: 'short' }] } };
    expect(() => validateSettings(doc, current)).toThrow(/webhooks\.receivers\[0\]\.url: must be an http:\/\/ or https:\/\/ URL; webhooks\.receivers\[0\]\.secret: must be at least 16 characters/);
  });
});
