/**
 * The agent a virtual phone "runs" once the station has pushed and started it: it serves the agent
 * protocol on whatever station connections the virtual phone hands it (through its adb forward) and
 * carries calls and messages on the simulated WhatsApp network, as the on-phone agent does with the real
 * WhatsApp. One control connection and one audio connection at a time (PROTOCOL.md, "Channels"), each
 * replaced by a newer one of its own channel; calls outlive both, so a station that reconnects mid-call
 * finds its call still up (audio in between is dropped).
 */
import type { Duplex } from 'node:stream';
import { createLogger, type Logger } from '../../../electron/station/util/log';
import {
  AGENT_ERROR_CODES,
  INCOMING_CALL_ID_BIT,
  MAX_STATION_CALL_ID,
  PROTOCOL_VERSION,
  UNKNOWN_LEVEL,
  isStationCallId,
  type AccountState,
  type AgentEventMessage,
  type MessageOf,
  type StationMessage,
} from '../../protocol';
import type { VirtualDeviceInfo } from '../device-info';
import type { CallLeg, CallListener } from '../whatsapp/call';
import type { ReceivedMessage, SimulatedWhatsApp, WhatsAppEndpoint } from '../whatsapp/simulated-whatsapp';
import { garbageFrame, type GarbageKind } from './garbage-frame';
import { StationConnection } from './station-connection';

export interface SimulatedAgentOptions {
  whatsapp: SimulatedWhatsApp;
  device: VirtualDeviceInfo;
  /** Default PROTOCOL_VERSION; tests use another to simulate a mismatched agent build. */
  protocolVersion?: number;
  /** Agent version string, default 'sip2wa-virtual-agent/1'. */
  software?: string;
  log?: Logger;
}

export const DEFAULT_AGENT_SOFTWARE = 'sip2wa-virtual-agent/1';

type CallDirection = 'outbound' | 'incoming';

interface AgentCall {
  id: number;
  direction: CallDirection;
  leg: CallLeg;
  /** Audio flows between audio-start and audio-stop. */
  audio: boolean;
}

type CallCommand = MessageOf<'answer' | 'decline' | 'hang-up'>;

/** What the audio channel carries besides ping (PROTOCOL.md, "Channels"); none of it is allowed on control. */
const AUDIO_TYPES: ReadonlySet<StationMessage['type']> = new Set(['audio', 'audio-start', 'audio-stop', 'audio-ack']);

export class SimulatedAgent implements WhatsAppEndpoint {
  private readonly whatsapp: SimulatedWhatsApp;
  private readonly device: VirtualDeviceInfo;
  private readonly account: string;
  private readonly protocolVersion: number;
  private readonly software: string;
  private readonly log: Logger;
  /** The control connection (commands, events) and the audio connection (PCM), once each has its channel. */
  private control: StationConnection | null = null;
  private audio: StationConnection | null = null;
  /** Connections open but not yet past their channel message. */
  private readonly pending = new Set<StationConnection>();
  private readonly calls = new Map<number, AgentCall>();
  private nextIncoming = 1;
  private handled = 0;
  private armedGarbage: GarbageKind | null = null;
  private dead = false;

  constructor(opts: SimulatedAgentOptions) {
    this.whatsapp = opts.whatsapp;
    this.device = opts.device;
    this.account = opts.device.account;
    this.protocolVersion = opts.protocolVersion ?? PROTOCOL_VERSION;
    this.software = opts.software ?? DEFAULT_AGENT_SOFTWARE;
    this.log = opts.log ?? createLogger('simulated-agent', { serial: opts.device.serialNo, account: this.account });
    this.whatsapp.register(this.account, this);
  }

  /** Calls handled since start (placed for the station or rung in). */
  get callCount(): number {
    return this.handled;
  }

  /**
   * A station connection arrived; the agent says hello at once. Once the station names its channel, it
   * replaces the previous connection of that channel.
   */
  attach(socket: Duplex): void {
    if (this.dead) {
      // Like a forward to a dead agent: the connection opens and closes without a word.
      socket.destroy();
      return;
    }
    const connection: StationConnection = new StationConnection({
      socket,
      protocolVersion: this.protocolVersion,
      software: this.software,
      log: this.log,
      onReady: (c) => this.adopt(c),
      onMessage: (message, c) => this.handle(message, c),
      onClose: (reason) => this.dropped(connection, reason),
    });
    this.pending.add(connection);
    if (this.armedGarbage) this.sendGarbage(this.armedGarbage, connection);
  }

  /** Test hook: the connections currently serving each channel. */
  get channels(): { control: boolean; audio: boolean } {
    return { control: this.control !== null, audio: this.audio !== null };
  }

  /** Test hook: the agent process dies. Sockets drop without a word; the far side of a call hears a hang-up. */
  crash(): void {
    this.shutDown(false);
  }

  /** Clean stop: the station hears each call end, then the connection closes. */
  stop(): void {
    this.shutDown(true);
  }

  /** Test hook: sends a broken frame on the control connection now (or, with none, as the first frame after the next hello). */
  garbleNextFrame(kind: GarbageKind = 'unknown-type'): void {
    if (this.control) this.sendGarbage(kind, this.control);
    else this.armedGarbage = kind;
  }

  // WhatsAppEndpoint: the network rings this phone or delivers a message to it.

  incomingCall(leg: CallLeg): CallListener {
    const id = (INCOMING_CALL_ID_BIT | this.nextIncoming) >>> 0;
    this.nextIncoming = this.nextIncoming >= MAX_STATION_CALL_ID ? 1 : this.nextIncoming + 1;
    const call: AgentCall = { id, direction: 'incoming', leg, audio: false };
    this.calls.set(id, call);
    this.handled += 1;
    this.log.info(`incoming call ${hex(id)} from ${leg.remoteNumber}`);
    this.emit({ type: 'call-incoming', callId: id, number: leg.remoteNumber, name: leg.remoteName });
    return this.listenerFor(call);
  }

  messageReceived(message: ReceivedMessage): void {
    this.emit({ type: 'message-received', ...message });
  }

  /** The account's health changed: the station hears it in an unasked `info` (PROTOCOL.md, "Account state"). */
  accountStateChanged(state: AccountState): void {
    this.log.info(`WhatsApp account state: ${state}`);
    this.emit(this.info());
  }

  /** The phone's battery or temperature changed: sent at once, as a phone's battery broadcast would be. */
  deviceChanged(): void {
    this.emit(this.info());
  }

  /** A connection named its channel: it replaces the previous connection of the same channel. */
  private adopt(connection: StationConnection): void {
    this.pending.delete(connection);
    const channel = connection.channel;
    const previous = channel === 'audio' ? this.audio : this.control;
    if (channel === 'audio') {
      this.audio = connection;
      // The old connection's audio window is over; the new one starts again with audio-start.
      for (const call of this.calls.values()) call.audio = false;
    } else this.control = connection;
    previous?.close(`replaced by a new ${channel} connection`);
    this.log.info(`${channel} connection open`);
  }

  private dropped(connection: StationConnection, reason: string): void {
    this.pending.delete(connection);
    if (this.control === connection) this.control = null;
    if (this.audio === connection) {
      this.audio = null;
      for (const call of this.calls.values()) call.audio = false;
    }
    this.log.info(`${connection.channel ?? 'station'} connection closed: ${reason}`);
  }

  private handle(message: StationMessage, from: StationConnection): void {
    if (message.type === 'ping') return this.reply(from, { type: 'pong', nonce: message.nonce });
    if (message.type === 'channel') return this.fail(AGENT_ERROR_CODES.badCommand, `this connection is already the ${from.channel} channel`, from);
    if (from.channel === 'audio') return this.handleAudio(message, from);
    if (AUDIO_TYPES.has(message.type)) {
      return this.fail(AGENT_ERROR_CODES.badCommand, `'${message.type}' belongs on the audio connection, not on control`, from);
    }
    switch (message.type) {
      case 'get-info':
        return this.emit(this.info());
      case 'dial':
        return this.dial(message.callId, message.number);
      case 'answer':
      case 'decline':
      case 'hang-up':
        return this.callCommand(message);
      case 'send-message': {
        const result = this.whatsapp.sendMessage(this.account, message.to, message.text);
        return this.emit({ type: 'message-sent', messageId: message.messageId, ok: result.ok, error: result.ok ? '' : result.error });
      }
      default:
        return this.fail(AGENT_ERROR_CODES.badCommand, `'${message.type}' is not a command the agent accepts`);
    }
  }

  /** The audio connection: audio-start/-stop, frames and their acks; any other command is refused there. */
  private handleAudio(message: StationMessage, from: StationConnection): void {
    switch (message.type) {
      case 'audio-start':
      case 'audio-stop': {
        const call = this.calls.get(message.callId);
        if (!call) return this.fail(AGENT_ERROR_CODES.unknownCall, `${message.type}: no call with id ${message.callId} (${hex(message.callId)})`, from);
        call.audio = message.type === 'audio-start';
        return;
      }
      case 'audio-ack':
        // Only there so the station's TCP stack acknowledges each downlink frame at once (PROTOCOL.md).
        return;
      case 'audio': {
        // Audio carries no call id: it belongs to the one connected call whose audio is on.
        const call = [...this.calls.values()].find((c) => c.audio && c.leg.state === 'connected');
        call?.leg.sendAudio({ seq: message.seq, timestamp: message.timestamp, pcm: message.pcm });
        return;
      }
      default:
        return this.fail(AGENT_ERROR_CODES.badCommand, `'${message.type}' belongs on the control connection, not on audio`, from);
    }
  }

  private dial(callId: number, number: string): void {
    if (!isStationCallId(callId)) {
      return this.fail(AGENT_ERROR_CODES.badCommand, `dial callId ${hex(callId)} is outside the station range 1..0x7fffffff`);
    }
    if (this.calls.has(callId)) return this.fail(AGENT_ERROR_CODES.badCommand, `dial callId ${callId} is already in use`);
    if (this.calls.size > 0) {
      // One call per phone, as on a real handset: the new call is refused, the active one goes on.
      this.log.info(`dial ${callId} to ${number} refused: a call is already active`);
      return this.emit({ type: 'call-ended', callId, outcome: 'busy' });
    }
    this.handled += 1;
    this.log.info(`dial ${callId} to ${number}`);
    this.emit({ type: 'call-dialing', callId, number });
    const leg = this.whatsapp.call(this.account, number);
    const call: AgentCall = { id: callId, direction: 'outbound', leg, audio: false };
    this.calls.set(callId, call);
    leg.listen(this.listenerFor(call));
  }

  private callCommand(message: CallCommand): void {
    if (message.type === 'hang-up' && message.callId === 0) {
      // Call id 0: every call on the phone (a station that restarted cleans up what it no longer knows).
      for (const c of [...this.calls.values()]) c.leg.hangUp();
      return;
    }
    const call = this.calls.get(message.callId);
    if (!call) return this.fail(AGENT_ERROR_CODES.unknownCall, `${message.type}: no call with id ${message.callId} (${hex(message.callId)})`);
    switch (message.type) {
      case 'answer':
      case 'decline':
        if (call.direction !== 'incoming' || call.leg.state !== 'ringing') {
          return this.fail(
            AGENT_ERROR_CODES.badCommand,
            `${message.type}: call ${hex(call.id)} is ${call.direction} and ${call.leg.state}, only a ringing incoming call can be ${message.type === 'answer' ? 'answered' : 'declined'}`,
          );
        }
        return message.type === 'answer' ? call.leg.answer() : call.leg.decline();
      case 'hang-up':
        return call.leg.hangUp();
    }
  }

  private listenerFor(call: AgentCall): CallListener {
    return {
      ringing: () => {
        if (call.direction === 'outbound') this.emit({ type: 'call-ringing', callId: call.id });
      },
      connected: () => this.emit({ type: 'call-connected', callId: call.id }),
      ended: (outcome) => {
        this.calls.delete(call.id);
        this.log.info(`call ${hex(call.id)} ended: ${outcome}`);
        this.emit({ type: 'call-ended', callId: call.id, outcome });
      },
      audio: (frame) => {
        if (call.audio && this.audio?.ready) this.audio.send({ type: 'audio', ...frame });
      },
    };
  }

  private info(): MessageOf<'info'> {
    const d = this.device;
    const level = (v: number, max: number) => (Number.isInteger(v) && v >= 0 && v <= max ? v : UNKNOWN_LEVEL);
    return {
      type: 'info',
      software: this.software,
      account: d.account,
      whatsappVersion: d.whatsappVersion,
      androidVersion: d.androidVersion,
      sdk: d.sdk,
      manufacturer: d.manufacturer,
      model: d.model,
      batteryLevel: level(d.batteryLevel, 100),
      charging: d.charging,
      temperatureDeciC: Math.max(-32768, Math.min(32767, Math.round(d.temperatureDeciC))),
      networkType: d.networkType,
      signalLevel: level(d.signalLevel, 4),
      audioRoute: 'simulated',
      accountState: this.whatsapp.accountState(d.account),
    };
  }

  /** Sends an event on the control connection if one is open; otherwise the event is lost. */
  private emit(message: AgentEventMessage): void {
    if (this.control?.ready) this.control.send(message);
  }

  /** Answers on the connection that asked. */
  private reply(to: StationConnection, message: AgentEventMessage): void {
    if (to.ready) to.send(message);
  }

  private fail(code: number, message: string, to: StationConnection | null = this.control): void {
    this.log.warn(message);
    if (to) this.reply(to, { type: 'error', code, message });
  }

  private sendGarbage(kind: GarbageKind, to: StationConnection): void {
    this.armedGarbage = null;
    this.log.warn(`test hook: sending a ${kind} frame`);
    to.write(garbageFrame(kind));
  }

  private shutDown(polite: boolean): void {
    if (this.dead) return;
    this.dead = true;
    const connections = [this.control, this.audio, ...this.pending].filter((c): c is StationConnection => c !== null);
    if (!polite) {
      for (const c of connections) c.destroy('the agent crashed');
      this.control = this.audio = null;
    }
    // Hanging up each call tells the far side (remote-hangup) and, when polite, the station (local-hangup).
    for (const call of [...this.calls.values()]) call.leg.hangUp();
    this.calls.clear();
    this.whatsapp.unregister(this.account, this);
    if (polite) for (const c of connections) c.close('the agent stopped');
    this.control = this.audio = null;
    this.pending.clear();
  }
}

function hex(id: number): string {
  return `0x${id.toString(16).padStart(8, '0')}`;
}
