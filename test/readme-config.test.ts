/**
 * The README's configuration example is what an office copies first: it must be a configuration the
 * station accepts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../electron/station/config/config-file';

describe("the README's configuration example", () => {
  it('is accepted by the station as it stands', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(json, 'a JSON example under ## Configuration').toBeDefined();
    const config = validateConfig(JSON.parse(json!), 'README.md');
    expect(config.lines[0]).toMatchObject({ id: 'wa1', pbx: 'office' });
    expect(config.media.headset).toEqual({ input: 'USB Headset', output: 'USB Headset' });
  });
});
