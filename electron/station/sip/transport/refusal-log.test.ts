import { describe, expect, it } from 'vitest';
import type { Logger } from '../../util/log';
import { RefusalLog } from './refusal-log';

function recorder(): { log: Logger; lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  const at = (level: string) => (m: string) => void lines.push([level, m]);
  return { log: { warn: at('warn'), debug: at('debug'), info: at('info'), error: at('error') } as unknown as Logger, lines };
}

describe('RefusalLog', () => {
  it('warns once per source and minute, counts the rest, and forgets sources after their minute', () => {
    let now = 0;
    const { log, lines } = recorder();
    const r = new RefusalLog(log, () => now);
    for (let i = 0; i < 1000; i++) r.refused('203.0.113.7', `refused #${i}`);
    r.refused('198.51.100.1', 'refused other');
    expect(lines.filter(([l]) => l === 'warn').map(([, m]) => m)).toEqual(['refused #0', 'refused other']);
    expect(r.size).toBe(2);
    now = 60_000;
    r.refused('203.0.113.7', 'refused again');
    expect(lines.filter(([l]) => l === 'warn').map(([, m]) => m).slice(2)).toEqual([
      '999 more requests from 203.0.113.7 refused in the minute after the one logged',
      'refused again',
    ]);
    expect(r.size).toBe(1);
  });

  it('keeps at most 4,096 sources, however many addresses a flood spoofs', () => {
    const { log, lines } = recorder();
    const r = new RefusalLog(log, () => 0);
    for (let i = 0; i < 10_000; i++) r.refused(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, `refused ${i}`);
    expect(r.size).toBe(4096);
    expect(lines.filter(([l]) => l === 'warn')).toHaveLength(4096);
  });
});
