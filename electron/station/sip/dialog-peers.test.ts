import { describe, expect, it } from 'vitest';
import type { UserAgent } from 'sip.js';
import { dialogPeersOf } from './dialog-peers';

/** A user agent whose core holds one dialog, keyed the way sip.js keys it (the three ids concatenated). */
function uaWith(dialog: { callId: string; localTag: string; remoteTag: string; remoteTarget: string; routeSet: string[] }): UserAgent {
  const dialogs = new Map([[dialog.callId + dialog.localTag + dialog.remoteTag, { ...dialog, remoteTarget: { toString: () => dialog.remoteTarget } }]]);
  return { userAgentCore: { dialogs } } as unknown as UserAgent;
}

describe('dialogPeersOf', () => {
  const ua = uaWith({ callId: 'abc', localTag: '123', remoteTag: 'xyz', remoteTarget: 'sip:1001@192.0.2.50:5062;transport=udp', routeSet: ['<sip:10.0.0.1;lr>', '<sip:proxy.example.com;lr>'] });
  const peers = dialogPeersOf(ua);

  it("names the dialog's remote target and the IP hops of its route set (never a name to look up)", () => {
    expect([...peers('abc', '123', 'xyz')!]).toEqual(['192.0.2.50', '10.0.0.1']);
  });

  it('finds no dialog for other ids, nor for another split of the same characters', () => {
    expect(peers('abc', '123', 'other')).toBeUndefined();
    expect(peers('abc1', '23', 'xyz')).toBeUndefined();
  });
});
