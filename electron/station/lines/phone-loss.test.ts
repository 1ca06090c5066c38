/**
 * The phone-loss watch with time driven by a fake clock: an unplug ends the call at once, a control
 * link that drops comes back within the grace without ending it (a garbled frame, an adb server
 * restart), and one that stays down ends it when the grace runs out.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentMessage } from '../../../phone-agent/protocol';
import { Call } from '../calls/call';
import type { AgentLink } from '../devices/agent-link';
import type { DeviceManager, DeviceManagerEvents } from '../devices/device-manager';
import type { DeviceSnapshot } from '../devices/device-supervisor';
import type { DeviceState } from '../devices/device-state';
import { Emitter } from '../util/emitter';
import { createLogger, setLogLevel } from '../util/log';
import { AgentPort } from '../devices/agent-port';
import { PHONE_LINK_GRACE_MS, watchPhoneLoss } from './phone-loss';

const SERIAL = 'R58M0001';

/** The device manager's events, raised by the test. */
class FakeDevices extends Emitter<DeviceManagerEvents> {
  raise<K extends keyof DeviceManagerEvents>(event: K, ...args: DeviceManagerEvents[K]): void {
    this.emit(event, ...args);
  }
  state(serial: string, state: DeviceState, detail: string): void {
    const snap: DeviceSnapshot = { serial, state, detail, since: Date.now(), lastError: null, props: null, agent: null, pingRttMs: null };
    this.raise('change', snap);
  }
}

/** An agent link the test opens and closes. */
class FakeLink extends Emitter<{ message: [AgentMessage]; closed: [string, boolean] }> {
  isOpen = true;
  readonly port = 5000;
  readonly software = 'test';
  send(): void {}
  close(reason: string): void {
    this.isOpen = false;
    this.emit('closed', reason, false);
  }
}

let devices: FakeDevices;
let port: AgentPort;
let link: FakeLink;
let call: Call;
let lost: string[];

function reconnect(): void {
  link = new FakeLink();
  port.attach(link as unknown as AgentLink);
}

beforeEach(() => {
  vi.useFakeTimers();
  setLogLevel('silent');
  devices = new FakeDevices();
  port = new AgentPort();
  reconnect();
  call = new Call('sip-to-whatsapp', '15550109001', createLogger('test'), { sipLineId: 'wa1', callerId: '1001' });
  lost = [];
  call.on('lost', (reason) => lost.push(reason));
  watchPhoneLoss({ devices: devices as unknown as DeviceManager, port, serial: SERIAL }, call);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a carrying phone lost during a call', () => {
  it('ends the call at once when adb no longer lists the phone, naming it', () => {
    devices.state('OTHER01', 'lost', 'unplugged or not answering adb');
    expect(lost).toEqual([]);
    devices.state(SERIAL, 'lost', 'unplugged or not answering adb');
    expect(lost).toEqual([`phone ${SERIAL} lost: unplugged or not answering adb`]);
    expect(call.endReason).toBe(lost[0]);
  });

  it('keeps the call when the link comes back within the grace', () => {
    link.close('garbled frame from the agent: frame type 0x7e is unknown');
    vi.advanceTimersByTime(PHONE_LINK_GRACE_MS - 1);
    reconnect();
    vi.advanceTimersByTime(PHONE_LINK_GRACE_MS * 3);
    expect(lost).toEqual([]);
  });

  it('ends the call when the link stays down past the grace, saying why it went down', () => {
    link.close('the agent did not answer pings for 3 s');
    vi.advanceTimersByTime(PHONE_LINK_GRACE_MS - 1);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatch(new RegExp(`^phone ${SERIAL} unreachable for ${PHONE_LINK_GRACE_MS / 1000} s \\(the agent did not answer pings`));
  });

  it('waits out an adb server restart, which marks the phone lost while the server comes back', () => {
    devices.raise('adb-restart', 'the adb server closed the tracking connection');
    link.close('the adb server went away; waiting for it to come back');
    devices.state(SERIAL, 'lost', 'the adb server went away; waiting for it to come back');
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(PHONE_LINK_GRACE_MS - 1);
    reconnect();
    devices.state(SERIAL, 'ready', 'agent ready');
    vi.advanceTimersByTime(PHONE_LINK_GRACE_MS * 3);
    expect(lost).toEqual([]);
    // Once ready again, an unplug ends the call at once as before.
    devices.state(SERIAL, 'lost', 'unplugged or not answering adb');
    expect(lost).toHaveLength(1);
  });

  it('stops watching once the call has ended', () => {
    call.finish('answered', 200, 'sip');
    link.close('the agent closed the connection');
    devices.state(SERIAL, 'lost', 'unplugged or not answering adb');
    vi.advanceTimersByTime(PHONE_LINK_GRACE_MS * 2);
    expect(lost).toEqual([]);
  });
});
