/**
 * Guards against sip.js 0.21 failures that would otherwise kill the station.
 *
 * 1. Lost ACK then BYE (RFC 3261 section 13.3.1.4): we answer 200, the ACK is lost, the caller hangs up
 *    with BYE and the session ends (Terminated). When the INVITE server transaction later times out
 *    (timer L, 64*T1 = 32 s), the session dialog still has `ackWait` set and calls
 *    `Invitation.onAckTimeout`, which sends a BYE for a dialog that is gone and transitions
 *    Terminated -> Terminated; `stateTransition` throws from a timer and the process dies.
 *    The fix is at that depth: `onAckTimeout` of an invitation that has already ended does nothing.
 *    (Invitations are created inside sip.js, so a subclass cannot be injected; the patch is on the
 *    prototype, once, and checks that the method it wraps exists.)
 *    The same patch marks an invitation whose ACK never came while it was up (it is then ended by
 *    sip.js with a BYE), so the call flow can tell "no ACK from the PBX" from a BYE the PBX sent
 *    ({@link ackTimedOut}).
 * 2. A process-level guard for anything else thrown from a sip.js timer: logged with its stack, the
 *    process keeps running. Exceptions from elsewhere keep Node's default (print and exit 1) unless
 *    another handler is installed.
 */
import { Invitation, SessionState } from 'sip.js';
import { createLogger } from '../util/log';

const log = createLogger('sip-safety');

const PATCHED = Symbol.for('sip2wa.sip-safety.onAckTimeout');
const ACK_TIMED_OUT = Symbol.for('sip2wa.sip-safety.ackTimedOut');

interface AckTimeoutTarget {
  onAckTimeout?: (this: Invitation) => void;
  [PATCHED]?: true;
}

/** Makes a late ACK timeout on an ended invitation harmless. Idempotent; returns false if sip.js changed. */
export function patchInvitationAckTimeout(): boolean {
  const proto = Invitation.prototype as unknown as AckTimeoutTarget;
  if (proto[PATCHED]) return true;
  const original = proto.onAckTimeout;
  if (typeof original !== 'function') {
    log.warn('sip.js Invitation has no onAckTimeout: the lost-ACK guard is not installed (sip.js version changed?)');
    return false;
  }
  proto.onAckTimeout = function onAckTimeoutGuarded(this: Invitation): void {
    if (this.state === SessionState.Terminated || this.state === SessionState.Terminating) {
      log.info(`call ${this.id}: ACK timeout after the call already ended; ignored`);
      return;
    }
    // Marked before sip.js ends the session, so listeners of its Terminated state can read it.
    (this as unknown as Record<symbol, boolean>)[ACK_TIMED_OUT] = true;
    original.call(this);
  };
  proto[PATCHED] = true;
  return true;
}

/**
 * True when sip.js ended `invitation` because the ACK for its 200 never came (RFC 3261 13.3.1.4: 64*T1
 * after the 200), not because the PBX hung up. Needs {@link patchInvitationAckTimeout}.
 */
export function ackTimedOut(invitation: object): boolean {
  return (invitation as Record<symbol, boolean>)[ACK_TIMED_OUT] === true;
}

/** True when an error's stack runs through sip.js's code. */
export function isSipJsError(err: unknown): boolean {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  return /[\\/]node_modules[\\/]sip\.js[\\/]/.test(stack);
}

let guard: ((err: unknown) => void) | undefined;

/**
 * Installs a process `uncaughtException` handler that logs and survives exceptions thrown inside
 * sip.js. Returns a function that removes it. Installing twice keeps one handler.
 */
export function installSipProcessGuard(): () => void {
  if (!guard) {
    guard = (err: unknown): void => {
      if (isSipJsError(err)) {
        log.error(`sip.js threw outside any caller; the station keeps running: ${(err as Error).stack}`);
        return;
      }
      if (process.listenerCount('uncaughtException') > 1) return; // someone else decides
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    };
    process.on('uncaughtException', guard);
  }
  return () => {
    if (guard) process.off('uncaughtException', guard);
    guard = undefined;
  };
}

/** Both guards: call once at station start, before any user agent exists. */
export function installSipSafety(): () => void {
  patchInvitationAckTimeout();
  return installSipProcessGuard();
}
