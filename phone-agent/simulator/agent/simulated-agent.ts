/**
 * The agent a virtual phone "runs" once the station has pushed and started it: it serves the agent
 * protocol on whatever station connection the virtual phone hands it (through its adb forward) and
 * carries calls and messages on the simulated WhatsApp network, as the on-phone agent does with the real
 * WhatsApp. One station connection at a time; calls outlive a connection, so a station that reconnects
 * mid-call finds its call still up (audio in between is dropped).
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

type CallCommand = MessageOf<'answer' | 'decline' | 'hang-up' | 'audio-start' | 'audio-stop'>;

export class SimulatedAgent implements WhatsAppEndpoint {
  private readonly whatsapp: SimulatedWhatsApp;
  private readonly device: VirtualDeviceInfo;
  private readonly account: string;
  private readonly protocolVersion: number;
  private readonly software: string;
  private readonly log: Logger;
  private connection: StationConnection | null = null;
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

  /** A station connection arrived; the agent says hello at once. A newer connection replaces an older one. */
  attach(socket: Duplex): void {
    if (this.dead) {
      // Like a forward to a dead agent: the connection opens and closes without a word.
      socket.destroy();
      return;
    }
    this.connection?.close('replaced by a new station connection');
    const connection: StationConnection = new StationConnection({
      socket,
      protocolVersion: this.protocolVersion,
      software: this.software,
      log: this.log,
      onMessage: (message) => this.handle(message),
      onClose: (reason) => {
        if (this.connection === connection) this.connection = null;
        this.log.info(`station connection closed: ${reason}`);
      },
    });
    this.connection = connection;
    if (this.armedGarbage) this.sendGarbage(this.armedGarbage);
  }

  /** Test hook: the agent process dies. Sockets drop without a word; the far side of a call hears a hang-up. */
  crash(): void {
    this.shutDown(false);
  }

  /** Clean stop: the station hears each call end, then the connection closes. */
  stop(): void {
    this.shutDown(true);
  }

  /** Test hook: sends a broken frame now (or, with no connection, as the first frame after the next hello). */
  garbleNextFrame(kind: GarbageKind = 'unknown-type'): void {
    if (this.connection) this.sendGarbage(kind);
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

  private handle(message: StationMessage): void {
    switch (message.type) {
      case 'ping':
        return this.emit({ type: 'pong', nonce: message.nonce });
      case 'get-info':
        return this.emit(this.info());
      case 'dial':
        return this.dial(message.callId, message.number);
      case 'answer':
      case 'decline':
      case 'hang-up':
      case 'audio-start':
      case 'audio-stop':
        return this.callCommand(message);
      case 'send-message': {
        const result = this.whatsapp.sendMessage(this.account, message.to, message.text);
        return this.emit({ type: 'message-sent', messageId: message.messageId, ok: result.ok, error: result.ok ? '' : result.error });
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
        return this.fail(AGENT_ERROR_CODES.badCommand, `'${message.type}' is not a command the agent accepts`);
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
      case 'audio-start':
        call.audio = true;
        return;
      case 'audio-stop':
        call.audio = false;
        return;
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
        if (call.audio) this.emit({ type: 'audio', ...frame });
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
    };
  }

  /** Sends to the station if one is connected and past the handshake; otherwise the event is lost. */
  private emit(message: AgentEventMessage): void {
    if (this.connection?.ready) this.connection.send(message);
  }

  private fail(code: number, message: string): void {
    this.log.warn(message);
    this.emit({ type: 'error', code, message });
  }

  private sendGarbage(kind: GarbageKind): void {
    this.armedGarbage = null;
    this.log.warn(`test hook: sending a ${kind} frame`);
    this.connection?.write(garbageFrame(kind));
  }

  private shutDown(polite: boolean): void {
    if (this.dead) return;
    this.dead = true;
    const connection = this.connection;
    if (!polite) {
      connection?.destroy('the agent crashed');
      this.connection = null;
    }
    // Hanging up each call tells the far side (remote-hangup) and, when polite, the station (local-hangup).
    for (const call of [...this.calls.values()]) call.leg.hangUp();
    this.calls.clear();
    this.whatsapp.unregister(this.account, this);
    if (polite) connection?.close('the agent stopped');
    this.connection = null;
  }
}

function hex(id: number): string {
  return `0x${id.toString(16).padStart(8, '0')}`;
}
