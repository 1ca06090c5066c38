import { describe, expect, it } from 'vitest';
import { requestHasToken, tokenMatches } from './access-token';

const TOKEN = 'a-long-enough-station-token';

describe('the access token', () => {
  it('accepts only the exact token, whatever the length of a wrong one', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    for (const wrong of ['', 'a', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), null, undefined]) expect(tokenMatches(TOKEN, wrong)).toBe(false);
  });

  it('is taken from the Bearer header or from ?token=, nowhere else', () => {
    const url = (q = '') => new URL(`http://station/api/lines${q}`);
    expect(requestHasToken(TOKEN, { authorization: `Bearer ${TOKEN}` }, url())).toBe(true);
    expect(requestHasToken(TOKEN, {}, url(`?token=${TOKEN}`))).toBe(true);
    expect(requestHasToken(TOKEN, { authorization: TOKEN }, url())).toBe(false);
    expect(requestHasToken(TOKEN, { authorization: `Basic ${TOKEN}` }, url())).toBe(false);
    expect(requestHasToken(TOKEN, { cookie: `token=${TOKEN}` }, url('?token=nope'))).toBe(false);
  });
});
