import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig, saveConfig, validateConfig } from './config-file';

const good = {
  version: 1,
  pbx: [{ id: 'office', host: '127.0.0.1', port: 5060, transport: 'udp' }],
  lines: [{ id: 'wa1', serial: 'R58M1234', pbx: 'office', user: '2001', password: 's3cret-pass', codecs: ['G722', 'PCMU'] }],
};

function issues(doc: unknown): string[] {
  try {
    validateConfig(doc, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the document to be refused');
}

describe('configuration', () => {
  it('accepts a complete document and fills in defaults', () => {
    const config = validateConfig(good);
    expect(config.pbx[0]!.registerExpires).toBe(300);
    expect(config.pbx[0]!.keepaliveSeconds).toBe(25);
    expect(config.lines[0]!.enabled).toBe(true);
    expect(config.media.rtpPortMin).toBe(20_000);
  });

  it('names the field and the reason for each bad value', () => {
    const bad = structuredClone(good) as Record<string, unknown> & typeof good;
    (bad.pbx[0] as Record<string, unknown>).port = 70_000;
    (bad.pbx[0] as Record<string, unknown>).transport = 'sctp';
    (bad.lines[0] as Record<string, unknown>).codecs = ['G722', 'G729'];
    (bad.lines[0] as Record<string, unknown>).colour = 'red';
    const found = issues(bad);
    expect(found).toContain('pbx[0].port: must be 1-65535');
    expect(found.some((i) => i.startsWith('pbx[0].transport:'))).toBe(true);
    expect(found).toContain('lines[0].codecs[1]: must be one of G722, PCMU, PCMA');
    expect(found).toContain('lines[0]: unknown field "colour"');
  });

  it('refuses a line on an unknown PBX and two lines on one phone', () => {
    const doc = structuredClone(good) as typeof good;
    doc.lines.push({ id: 'wa2', serial: 'R58M1234', pbx: 'branch', user: '2002', password: 'x', codecs: ['PCMU'] });
    const found = issues(doc);
    expect(found).toContain('lines[1].pbx: no PBX has the id "branch"');
    expect(found).toContain('lines[1].serial: phone R58M1234 already carries another line (one line per phone)');
  });

  it('refuses a routing prefix naming a group no line is in, and a forward rule to an unknown line', () => {
    const doc = { ...structuredClone(good), routing: { prefixes: [{ prefix: '00111', group: 'sales' }] }, messages: { forward: [{ line: 'wa9', toGroup: 'Support team' }] } };
    expect(issues(doc)).toEqual(['routing.prefixes[0].group: no line is in group "sales"', 'messages.forward[0].line: no line has the id "wa9"']);
  });

  it('refuses a line without a password', () => {
    const doc = structuredClone(good) as typeof good;
    delete (doc.lines[0] as Partial<(typeof doc.lines)[0]>).password;
    expect(issues(doc)).toEqual(['lines[0].password: is required']);
  });

  it('loads from a file, and a bad file never replaces a good one on save', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sip2wa-config-'));
    const file = join(dir, 'station.json');
    await saveConfig(file, good);
    expect((await loadConfig(file)).lines[0]!.user).toBe('2001');
    await expect(saveConfig(file, { ...good, version: 2 })).rejects.toThrow(/version: must be 1/);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
    writeFileSync(file, '{ "version": 1, ');
    await expect(loadConfig(file)).rejects.toThrow(/not valid JSON/);
    await expect(loadConfig(join(dir, 'missing.json'))).rejects.toThrow(/file not found/);
  });

  it('never shows a password in a redacted copy', () => {
    const text = JSON.stringify(redactConfig(validateConfig(good)));
    expect(text).not.toContain('s3cret-pass');
  });
});
