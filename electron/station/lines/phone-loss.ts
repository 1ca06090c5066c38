/**
 * Watches the phone that carries a call with a SIP leg and tells the call when that phone is gone, so
 * the PBX side is ended at once instead of when the desk phone's RTP timeout fires.
 *
 *   watching --adb no longer lists the phone------------------------------------> lost (at once)
 *      |  \--control link down--> grace --link back within the grace--> watching
 *      |                             \--still down after PHONE_LINK_GRACE_MS---> lost
 *      \--call ended--> (stops watching)
 *
 * A garbled frame, a frozen agent or an `adb kill-server` close the control link but leave the phone
 * and its WhatsApp call where they were; the supervisor reconnects within the grace and the call goes
 * on (the agent keeps its calls across a reconnection, PROTOCOL.md "Calls"). An adb server restart
 * also marks every phone `lost` while it comes back, so that loss waits for the grace like a link drop.
 */
import type { Call } from '../calls/call';
import type { DeviceManager } from '../devices/device-manager';
import type { AgentPort } from '../devices/agent-port';

/**
 * How long a carrying phone's control link may stay down before its call is given up. On loopback a
 * garbled-frame reconnect kept the link down 0.25-0.35 s and an `adb kill-server` recovery 0.7-0.85 s
 * (the "keeps the call" tests in test/calls/ print it); 4 s leaves that room several times over on a
 * loaded machine, and still ends the call well before the desk phone's own RTP timeout (about 10 s).
 */
export const PHONE_LINK_GRACE_MS = 4_000;

export interface PhoneLossWatch {
  devices: DeviceManager;
  port: AgentPort;
  serial: string;
}

/** Calls `call.phoneLost(reason)` once when its phone is gone; stops by itself when the call ends. */
export function watchPhoneLoss(w: PhoneLossWatch, call: Call): void {
  const graceMs = PHONE_LINK_GRACE_MS;
  let timer: NodeJS.Timeout | null = null;
  // Set from an adb server restart until the phone is ready again: its `lost` is not an unplug.
  let adbRestarting = false;
  let downReason = 'the control link is down';
  const stop = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const off of offs) off();
  };
  const lose = (reason: string): void => {
    stop();
    call.phoneLost(reason);
  };
  const startGrace = (): void => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!w.port.isUp) lose(`phone ${w.serial} unreachable for ${graceMs / 1000} s (${downReason})`);
    }, graceMs);
  };
  const offs = [
    w.port.on('down', (reason) => {
      downReason = reason;
      startGrace();
    }),
    w.port.on('link', () => {
      if (timer) clearTimeout(timer);
      timer = null;
    }),
    w.devices.on('adb-restart', () => (adbRestarting = true)),
    w.devices.on('change', (snap) => {
      if (snap.serial !== w.serial) return;
      if (snap.state === 'ready') adbRestarting = false;
      else if (snap.state === 'lost' && !adbRestarting) lose(`phone ${w.serial} lost: ${snap.detail}`);
    }),
    call.on('change', (v) => v.state === 'ended' && stop()),
  ];
  if (call.ended) stop();
  else if (!w.port.isUp) startGrace();
}
