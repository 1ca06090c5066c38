/**
 * An account's configuration from a line and its PBX as the configuration file names them: the TLS CA
 * is read from its file, and only the SIP credentials of the line reach the account.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accountConfig } from './sip-config';

const dir = mkdtempSync(join(tmpdir(), 'sip2wa-sip-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = { id: 'wa1', serial: 'R58M0001', user: '1001', password: 'secret', codecs: ['PCMU'] };

describe('accountConfig', () => {
  it('reads the CA file named by the PBX and keeps its TLS settings', () => {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const cfg = accountConfig({ host: 'pbx.example.com', transport: 'tls', tls: { caFile, rejectUnauthorized: true, servername: 'pbx' } }, line);
    expect(cfg.pbx.tls).toEqual({ ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', rejectUnauthorized: true, servername: 'pbx' });
  });

  it('uses the system CAs when no CA file is named, and has no TLS settings off TLS', () => {
    expect(accountConfig({ host: 'pbx.example.com', transport: 'tls', tls: { rejectUnauthorized: false } }, line).pbx.tls).toEqual({ ca: undefined, rejectUnauthorized: false, servername: undefined });
    expect(accountConfig({ host: '192.0.2.10', transport: 'udp' }, line).pbx.tls).toBeUndefined();
  });

  it('says which CA file is missing', () => {
    const caFile = join(dir, 'gone.pem');
    expect(() => accountConfig({ host: 'pbx.example.com', transport: 'tls', tls: { caFile } }, line)).toThrow(caFile);
  });

  it('gives the account the line credentials only', () => {
    expect(accountConfig({ host: '192.0.2.10', transport: 'udp' }, line).line).toEqual({ user: '1001', authUser: undefined, password: 'secret', displayName: undefined });
  });
});
