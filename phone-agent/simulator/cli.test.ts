import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli';

describe('virtual-phone command line', () => {
  it('reads the options with defaults', () => {
    expect(parseCliArgs([])).toEqual({ count: 1, agent: 'simulated', basePort: 27100, adbPort: 5037, help: false });
    expect(parseCliArgs(['--count', '8', '--agent', 'java', '--scenario', 's.json', '--base-port=27200', '--adb-port', '5099'])).toEqual({
      count: 8,
      agent: 'java',
      scenario: 's.json',
      basePort: 27200,
      adbPort: 5099,
      help: false,
    });
  });

  it('names the bad argument', () => {
    expect(() => parseCliArgs(['--count', 'many'])).toThrow('--count must be a whole number from 1 to 500, got "many"');
    expect(() => parseCliArgs(['--count'])).toThrow('--count needs a value');
    expect(() => parseCliArgs(['--base-port', '80'])).toThrow(/--base-port must be/);
    expect(() => parseCliArgs(['--phones', '3'])).toThrow('unknown argument "--phones"');
    expect(() => parseCliArgs(['--agent', 'kotlin'])).toThrow('--agent must be one of simulated, java, got "kotlin"');
  });
});
