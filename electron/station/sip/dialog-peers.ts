/**
 * Who may send requests inside one of a line's dialogs: the dialog's remote target (RFC 3261 section
 * 12.2.1.1: the peer's Contact) and the hops of its route set (the proxies that record-routed). Read
 * from the sip.js UserAgentCore's own dialog table, so the filter follows every dialog the UA creates
 * or ends without keeping a copy. Only IP literals count: a name would need a DNS lookup of a value a
 * peer chose, and an address that does not match is refused, not resolved.
 */
import { isIP } from 'node:net';
import type { UserAgent } from 'sip.js';
import type { DialogPeers } from './inbound-filter';
import { uriHostPort } from './transport/sip-message-peek';

export function dialogPeersOf(ua: UserAgent): DialogPeers {
  return (callId, localTag, remoteTag) => {
    // sip.js keys dialogs by the three strings concatenated; the fields are compared one by one so that
    // another split of the same characters does not match.
    const dialog = ua.userAgentCore.dialogs.get(callId + localTag + remoteTag);
    if (!dialog || dialog.callId !== callId || dialog.localTag !== localTag || dialog.remoteTag !== remoteTag) return undefined;
    const hosts = [String(dialog.remoteTarget), ...dialog.routeSet].map((uri) => uriHostPort(uri)?.host ?? '');
    return hosts.filter((h) => isIP(h) !== 0);
  };
}
