import { describe, expect, it } from 'vitest';
import { routeCall, type RoutingRules } from './destination';

const rules: RoutingRules = {
  order: ['display-name', 'caller-id', 'prefix', 'dtmf'],
  prefixes: [{ prefix: '00111' }, { prefix: '00222', group: 'sales' }],
  testPrefix: '00123',
};
const base = { lineUser: '2001' };

describe('where a call goes', () => {
  it('takes the number from the display name first, as the origin does', () => {
    expect(routeCall({ ...base, displayName: '628979993336', fromUser: '1001' }, rules)).toEqual({ kind: 'number', number: '628979993336', from: 'display-name' });
  });

  it('takes the caller ID when the display name is a name, stripping a routing prefix', () => {
    expect(routeCall({ ...base, displayName: 'Reception', fromUser: '00111628979993336' }, rules)).toEqual({ kind: 'number', number: '628979993336', from: 'caller-id' });
  });

  it('takes the dialled user after its prefix, and the prefix may pick a group', () => {
    expect(routeCall({ ...base, displayName: 'Reception', fromUser: '1001', toUser: '00222447700900123' }, rules)).toEqual({
      kind: 'number',
      number: '447700900123',
      from: 'prefix',
      group: 'sales',
    });
  });

  it('makes the test prefix an echo test', () => {
    expect(routeCall({ ...base, fromUser: '00123628979993336' }, rules)).toEqual({ kind: 'echo-test' });
  });

  it('falls back to DTMF collection, or refuses when DTMF is not in the order', () => {
    expect(routeCall({ ...base, displayName: 'Reception', fromUser: '1001' }, rules)).toEqual({ kind: 'collect-dtmf' });
    const noDtmf = { ...rules, order: ['display-name', 'caller-id'] as const };
    expect(routeCall({ ...base, displayName: 'Reception', fromUser: '1001' }, noDtmf)).toMatchObject({ kind: 'invalid' });
    expect(routeCall({ ...base, fromUser: '0123' }, noDtmf)).toMatchObject({ kind: 'invalid' });
  });

  it('follows the configured order', () => {
    const prefixFirst = { ...rules, order: ['prefix', 'display-name'] as const };
    expect(routeCall({ ...base, displayName: '628979993336', toUser: '00111447700900123' }, prefixFirst)).toMatchObject({ number: '447700900123', from: 'prefix' });
  });
});
