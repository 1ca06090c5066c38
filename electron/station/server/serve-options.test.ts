import { describe, expect, it } from 'vitest';
import { HELP, parseServeArgs } from './serve-options';

describe("serve's command line", () => {
  it('reads the defaults: the console on 8420, adb on 5037, the demo on its own adb server 5039', () => {
    expect(parseServeArgs([])).toMatchObject({ host: '127.0.0.1', apiPort: 8420, adbPort: 5037, adbPortGiven: false, demo: false, demoPhones: 4, demoBasePort: null });
    expect(parseServeArgs(['--demo'])).toMatchObject({ demo: true, adbPort: 5039, adbPortGiven: false });
    expect(parseServeArgs(['--demo', '--adb-port', '5041', '--demo-base-port', '0', '--scenario', 's.json'])).toMatchObject({
      demo: true,
      adbPort: 5041,
      adbPortGiven: true,
      demoBasePort: 0,
      scenario: 's.json',
    });
  });

  it('refuses contradictions and bad values, naming the option', () => {
    expect(() => parseServeArgs(['--port', 'eighty'])).toThrow("--port must be a port number (0-65535), got 'eighty'");
    expect(() => parseServeArgs(['--adb-port', ''])).toThrow(/--adb-port must be a port number/);
    expect(() => parseServeArgs(['--demo', '--no-demo'])).toThrow('--demo and --no-demo contradict each other');
    expect(() => parseServeArgs(['--demo', '--config', 'a.json'])).toThrow('--demo starts without a configuration');
    expect(() => parseServeArgs(['--scenario', 's.json', '--no-demo'])).toThrow(/--scenario sets up the demo's virtual phones/);
    expect(() => parseServeArgs(['--scenario', 's.json', '--config', 'a.json'])).toThrow(/add --demo/);
    expect(() => parseServeArgs(['--demo-phones', '65'])).toThrow("--demo-phones must be 1-64, got '65'");
    expect(() => parseServeArgs(['--phones', '3'])).toThrow(/Unknown option '--phones'/);
    expect(() => parseServeArgs(['--host', '0.0.0.0'])).toThrow(/beyond loopback the console API needs an access token/);
    expect(() => parseServeArgs(['--host', '0.0.0.0'], { SIP2WA_TOKEN: 'x'.repeat(20) })).toThrow(/^SIP2WA_TOKEN: the access token is one character repeated/);
  });

  it('explains every option it takes in --help', () => {
    for (const option of ['--config', '--data', '--host', '--port', '--token', '--adb-port', '--demo', '--no-demo', '--demo-phones', '--demo-base-port', '--scenario', '--help']) {
      expect(HELP).toMatch(new RegExp(`^  ${option} `, 'm'));
    }
  });
});
