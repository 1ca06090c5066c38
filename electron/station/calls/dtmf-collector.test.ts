import { describe, expect, it } from 'vitest';
import { collectDigits, type DigitSource } from './dtmf-collector';

function keypad(): { source: DigitSource; press: (keys: string) => void } {
  let listener: ((d: string) => void) | null = null;
  return {
    source: (l) => {
      listener = l;
      return () => (listener = null);
    },
    press: (keys) => {
      for (const k of keys) listener?.(k);
    },
  };
}

const opts = { firstDigitTimeoutMs: 200, interDigitTimeoutMs: 100 };

describe('collecting a number by DTMF', () => {
  it('returns the digits typed before #', async () => {
    const pad = keypad();
    const result = collectDigits(pad.source, opts);
    pad.press('628979993336#');
    expect(await result).toEqual({ kind: 'digits', digits: '628979993336' });
  });

  it('clears on * and ends after the inter-digit timeout without #', async () => {
    const pad = keypad();
    const result = collectDigits(pad.source, opts);
    pad.press('99*4477');
    expect(await result).toEqual({ kind: 'digits', digits: '4477' });
  });

  it('times out when nothing is typed, and can be aborted', async () => {
    expect(await collectDigits(keypad().source, opts)).toEqual({ kind: 'timeout', digits: '' });
    const ctl = new AbortController();
    const pending = collectDigits(keypad().source, opts, ctl.signal);
    ctl.abort();
    expect(await pending).toEqual({ kind: 'aborted' });
  });
});
