/**
 * One virtual phone's agent when it is the real Java agent: the phone's shell started it (app_process),
 * so an agent instance starts in the farm's JVM; every station connection that reaches the phone's
 * abstract socket is piped to that instance's loopback port; the instance's WhatsApp commands and 20 ms
 * PCM are carried out on the simulated WhatsApp. To the station it is indistinguishable from the
 * simulated agent: same process in ps, same forward, same protocol.
 */
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../electron/station/util/log';
import { ACCOUNT_STATES, CALL_OUTCOMES, INCOMING_CALL_ID_BIT, MAX_STATION_CALL_ID, NETWORK_TYPES, type AccountState } from '../../protocol';
import { garbageFrame, type GarbageKind } from '../agent/garbage-frame';
import type { VirtualDeviceInfo } from '../device-info';
import type { CallLeg, CallListener } from '../whatsapp/call';
import type { ReceivedMessage, SimulatedWhatsApp, WhatsAppEndpoint } from '../whatsapp/simulated-whatsapp';
import { BridgeReader, BridgeWriter, FROM_JVM, TO_JVM, type BridgeFrame } from './bridge';
import type { JavaAgentHost } from './java-agent-host';
import { StationPipe } from './station-pipe';

export const JAVA_AGENT_SOFTWARE = 'sip2wa-agent/1.0.0';

/** How long the station connections of a stopped instance may still drain before they are cut. */
const STOP_GRACE_MS = 1000;

let nextPhoneId = 1;

export class JavaPhoneAgent implements WhatsAppEndpoint {
  private readonly phone = nextPhoneId++ & 0xffff;
  private readonly account: string;
  private readonly legs = new Map<number, CallLeg>();
  private readonly pipes = new Set<StationPipe>();
  private readonly port: Promise<number>;
  private resolvePort!: (port: number) => void;
  private rejectPort!: (err: Error) => void;
  private stopped: (() => void) | null = null;
  private nextIncoming = 1;
  private uplinkSeq = 0;
  private armedGarbage: GarbageKind | null = null;
  private dead = false;

  constructor(
    private readonly host: JavaAgentHost,
    private readonly whatsapp: SimulatedWhatsApp,
    private readonly device: VirtualDeviceInfo,
    private readonly log: Logger,
  ) {
    this.account = device.account;
    this.port = new Promise<number>((resolve, reject) => {
      this.resolvePort = resolve;
      this.rejectPort = reject;
    });
    this.port.catch((err: Error) => this.log.error(`the Java agent did not start: ${err.message}`));
    host.register(this.phone, this);
    whatsapp.register(this.account, this);
    host.send(new BridgeWriter().str(JAVA_AGENT_SOFTWARE).frame(TO_JVM.start, this.phone));
    this.accountStateChanged(whatsapp.accountState(this.account));
  }

  /** The simulated WhatsApp's state of the account: the instance reports it as the Android glue would. */
  accountStateChanged(state: AccountState): void {
    this.host.send(new BridgeWriter().u8(ACCOUNT_STATES.indexOf(state)).frame(TO_JVM.accountState, this.phone));
  }

  /** A station connection reached the phone's abstract socket: piped to the agent instance's port. */
  attach(stream: Duplex): void {
    if (this.dead) {
      stream.destroy();
      return;
    }
    void this.port.then(
      (port) => {
        if (this.dead || stream.destroyed) return stream.destroy();
        const socket: Socket = connect(port, '127.0.0.1');
        socket.setNoDelay(true);
        const pipe = new StationPipe(stream, socket, () => this.pipes.delete(pipe));
        this.pipes.add(pipe);
        if (this.armedGarbage) pipe.garbleNextFrame(garbageFrame(this.armedGarbage));
      },
      () => stream.destroy(),
    );
  }

  /** The process dies: the station's connections drop without a word, the far side hears a hang-up. */
  crash(): void {
    if (this.dead) return;
    this.dead = true;
    for (const pipe of this.pipes) pipe.destroy();
    for (const leg of this.legs.values()) leg.hangUp();
    this.shutDown();
  }

  /** A clean stop: the agent hangs up its calls and the station hears each end, then the connections close. */
  stop(): void {
    if (this.dead) return;
    this.dead = true;
    this.stopped = () => {
      // The instance closed its station connections itself after the last call-ended; those bytes travel
      // on their own sockets and may still be in flight, so the pipes get a moment before they are cut.
      setTimeout(() => {
        for (const pipe of this.pipes) pipe.destroy();
      }, STOP_GRACE_MS).unref();
      for (const leg of this.legs.values()) leg.hangUp();
    };
    this.shutDown();
  }

  /** Test hook: the agent's next frame on the control connection is broken (or the first after its hello). */
  garbleNextFrame(kind: GarbageKind = 'unknown-type'): void {
    const control = [...this.pipes].find((p) => p.channel === 'control');
    if (control) control.garbleNextFrame(garbageFrame(kind));
    else this.armedGarbage = kind;
  }

  // The simulated network rings this phone or delivers a message.

  incomingCall(leg: CallLeg): CallListener {
    const token = (INCOMING_CALL_ID_BIT | this.nextIncoming) >>> 0;
    this.nextIncoming = this.nextIncoming >= MAX_STATION_CALL_ID ? 1 : this.nextIncoming + 1;
    this.legs.set(token, leg);
    this.host.send(new BridgeWriter().u32(token).str(leg.remoteNumber).str(leg.remoteName).frame(TO_JVM.incoming, this.phone));
    return this.listenerFor(token);
  }

  messageReceived(m: ReceivedMessage): void {
    this.host.send(new BridgeWriter().str(m.from).str(m.name).str(m.text).u64(m.time).frame(TO_JVM.messageReceived, this.phone));
  }

  fromJvm(frame: BridgeFrame): void {
    const r = new BridgeReader(frame.payload);
    switch (frame.type) {
      case FROM_JVM.started:
        return this.resolvePort(r.u16());
      case FROM_JVM.startFailed:
        return this.rejectPort(new Error(r.str()));
      case FROM_JVM.stopped:
        this.stopped?.();
        this.host.unregister(this.phone, this);
        return;
      case FROM_JVM.infoRequest:
        return this.host.send(this.info().frame(TO_JVM.info, this.phone));
      case FROM_JVM.dial: {
        const callId = r.u32();
        const leg = this.whatsapp.call(this.account, r.str());
        this.legs.set(callId, leg);
        return leg.listen(this.listenerFor(callId));
      }
      case FROM_JVM.answer:
        return this.legs.get(r.u32())?.answer();
      case FROM_JVM.decline:
        return this.legs.get(r.u32())?.decline();
      case FROM_JVM.hangUp:
        return this.legs.get(r.u32())?.hangUp();
      case FROM_JVM.sendMessage: {
        const messageId = r.u32();
        const result = this.whatsapp.sendMessage(this.account, r.str(), r.str());
        const w = new BridgeWriter().u32(messageId).u8(result.ok ? 1 : 0).str(result.ok ? '' : result.error);
        return this.host.send(w.frame(TO_JVM.messageSent, this.phone));
      }
      case FROM_JVM.audioUp: {
        // The injected microphone frame goes to the one connected call, as a phone's microphone would.
        const leg = [...this.legs.values()].find((l) => l.state === 'connected');
        const seq = this.uplinkSeq++ >>> 0;
        leg?.sendAudio({ seq, timestamp: (seq * 320) >>> 0, pcm: Buffer.from(r.rest()) });
        return;
      }
      default:
        this.log.warn(`bridge frame type ${frame.type} from the agent JVM is unknown`);
    }
  }

  private listenerFor(legId: number): CallListener {
    const send = (type: number, w = new BridgeWriter()) => this.host.send(w.u32(legId).frame(type, this.phone));
    return {
      ringing: () => send(TO_JVM.ringing),
      connected: () => send(TO_JVM.connected),
      ended: (outcome) => {
        this.legs.delete(legId);
        this.host.send(new BridgeWriter().u32(legId).u8(CALL_OUTCOMES.indexOf(outcome)).frame(TO_JVM.ended, this.phone));
      },
      audio: (frame) => this.host.send(new BridgeWriter().bytes(frame.pcm).frame(TO_JVM.audioDown, this.phone)),
    };
  }

  private info(): BridgeWriter {
    const d = this.device;
    return new BridgeWriter()
      .str(d.account)
      .str(d.whatsappVersion)
      .str(d.androidVersion)
      .u16(d.sdk)
      .str(d.manufacturer)
      .str(d.model)
      .u8(Number.isInteger(d.batteryLevel) && d.batteryLevel >= 0 && d.batteryLevel <= 100 ? d.batteryLevel : 255)
      .u8(d.charging ? 1 : 0)
      .i16(d.temperatureDeciC)
      .u8(Math.max(0, NETWORK_TYPES.indexOf(d.networkType)))
      .u8(Number.isInteger(d.signalLevel) && d.signalLevel >= 0 && d.signalLevel <= 4 ? d.signalLevel : 255);
  }

  private shutDown(): void {
    this.whatsapp.unregister(this.account, this);
    this.host.send(new BridgeWriter().frame(TO_JVM.stop, this.phone));
  }
}

