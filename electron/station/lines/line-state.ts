/**
 * Line registration states (the SIP side of a line).
 *
 *   disabled (no SIP account, or switched off)
 *   no-device --phone ready--> registering --200--> registered --call--> in-call --ended--> registered
 *                                   \--401/403/timeout--> failed(code, reason) --retry--> registering
 *
 * Until SIP accounts are configured every line is `disabled` with the reason saying so.
 */
// The list itself is one of the values the console shares (values.ts).
export { LINE_STATES, type LineState } from '../values';
