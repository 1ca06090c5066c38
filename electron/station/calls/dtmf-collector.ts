/**
 * Collects a WhatsApp number typed on the caller's keypad after the enter-number prompt: digits until
 * `#`, with a first-digit and an inter-digit timeout; `*` clears what was typed.
 */
export interface DtmfCollectOptions {
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
  maxDigits?: number;
}

export type DtmfResult = { kind: 'digits'; digits: string } | { kind: 'timeout'; digits: string } | { kind: 'aborted' };

export type DigitSource = (listener: (digit: string) => void) => () => void;

export function collectDigits(onDigit: DigitSource, opts: DtmfCollectOptions, signal?: AbortSignal): Promise<DtmfResult> {
  return new Promise((resolve) => {
    let digits = '';
    let timer: NodeJS.Timeout;
    const done = (result: DtmfResult): void => {
      clearTimeout(timer);
      off();
      signal?.removeEventListener('abort', abort);
      resolve(result);
    };
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => done(digits ? { kind: 'digits', digits } : { kind: 'timeout', digits }), ms);
    };
    const abort = (): void => done({ kind: 'aborted' });
    const off = onDigit((d) => {
      if (d === '#') return done(digits ? { kind: 'digits', digits } : { kind: 'timeout', digits });
      if (d === '*') digits = '';
      else if (/^[0-9]$/.test(d)) digits += d;
      if (opts.maxDigits && digits.length >= opts.maxDigits) return done({ kind: 'digits', digits });
      arm(opts.interDigitTimeoutMs);
    });
    signal?.addEventListener('abort', abort);
    arm(opts.firstDigitTimeoutMs);
  });
}
