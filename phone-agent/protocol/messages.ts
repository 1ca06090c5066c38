/**
 * The agent protocol v3 message table: every message type, its frame id, who sends it and its fields in
 * wire order. This table is the only place a message is described; the TypeScript message types and the
 * generic encoder/decoder in `codec.ts` are both derived from it, and PROTOCOL.md documents the same
 * table byte by byte. Adding a field here changes the wire format, so it also bumps PROTOCOL_VERSION.
 */

/** The version both sides must speak exactly (see PROTOCOL.md, "Handshake"). */
export const PROTOCOL_VERSION = 3;

/** The four bytes that open every hello payload, so garbage is not mistaken for a peer. */
export const HELLO_MAGIC = 'S2WA';

/** The abstract socket the agent listens on; the station reaches it with `adb forward`. */
export const AGENT_SOCKET_NAME = 'sip2wa_agent';

/** Frame header: type u8, flags u8, payload length u32 (big-endian). */
export const HEADER_BYTES = 6;

/** Largest payload a frame may carry; larger lengths are rejected from the header alone. */
export const MAX_PAYLOAD_BYTES = 65536;

/** Audio on the agent link: 16 kHz signed 16-bit little-endian mono, normally 20 ms per frame. */
export const AUDIO_SAMPLE_RATE = 16000;
export const AUDIO_FRAME_MS = 20;
export const AUDIO_FRAME_SAMPLES = (AUDIO_SAMPLE_RATE * AUDIO_FRAME_MS) / 1000;
export const AUDIO_FRAME_BYTES = AUDIO_FRAME_SAMPLES * 2;

/** Call ids the agent assigns (incoming calls) have this bit set; station ids (outbound) never do. */
export const INCOMING_CALL_ID_BIT = 0x80000000;
export const MAX_STATION_CALL_ID = 0x7fffffff;

export const NETWORK_TYPES = ['none', 'wifi', 'cellular', 'ethernet', 'unknown'] as const;
export const AUDIO_ROUTES = ['none', 'audio-policy', 'root', 'custom-rom', 'simulated'] as const;
/**
 * The WhatsApp account's health as the agent reads it on the phone (PROTOCOL.md, "Account state"):
 * registered is the only healthy value; unknown means the agent cannot tell (a screen it does not know).
 */
export const ACCOUNT_STATES = ['registered', 'logged-out', 'banned', 'not-installed', 'update-required', 'unknown'] as const;
export const CALL_OUTCOMES = [
  'remote-hangup',
  'local-hangup',
  'rejected',
  'no-answer',
  'offline',
  'not-on-whatsapp',
  'busy',
  'error',
] as const;

/**
 * What a connection through the forward carries, named by the station's `channel` message right after its
 * hello (PROTOCOL.md, "Channels"): control (commands and events) or audio (one call's PCM), so the audio
 * of a call never waits behind the station's control thread.
 */
export const CHANNELS = ['control', 'audio'] as const;

export type NetworkType = (typeof NETWORK_TYPES)[number];
export type AudioRoute = (typeof AUDIO_ROUTES)[number];
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export type AccountState = (typeof ACCOUNT_STATES)[number];
export type Channel = (typeof CHANNELS)[number];

/** Codes carried by the agent's `error` message. */
export const AGENT_ERROR_CODES = {
  /** The station's hello named another protocol version; the agent closes after sending this. */
  versionMismatch: 1,
  /** A command named a call id the agent does not know; the link stays up. */
  unknownCall: 2,
  /**
   * A command the agent cannot carry out as asked (bad call id range, answer on an outbound call, a
   * message on the wrong channel...); the link stays up.
   */
  badCommand: 3,
  /** The station sent something other than hello first, or other than `channel` right after it; the agent closes. */
  handshake: 4,
} as const;

/** Unknown value for `batteryLevel` and `signalLevel`. */
export const UNKNOWN_LEVEL = 255;

export type FieldKind = 'magic' | 'u8' | 'bool' | 'u16' | 'i16' | 'u32' | 'u64' | 'str' | 'enum' | 'pcm';

/** Who sends a message type. */
export type Direction = 'station-to-agent' | 'agent-to-station' | 'both';

interface FieldSpecShape {
  readonly name: string;
  readonly kind: FieldKind;
  /** For `enum`: the string values, indexed by the wire byte. For `magic`: the ASCII constant. */
  readonly values?: readonly string[];
  readonly magic?: string;
}

interface MessageSpecShape {
  readonly id: number;
  readonly direction: Direction;
  readonly fields: readonly FieldSpecShape[];
}

const u32 = <N extends string>(name: N) => ({ name, kind: 'u32' }) as const;
const str = <N extends string>(name: N) => ({ name, kind: 'str' }) as const;
const callId = [u32('callId')] as const;

export const MESSAGES = {
  // The hello layout never changes across versions, so a peer of any version can read it and say why
  // it will not talk (see PROTOCOL.md, "Handshake").
  hello: {
    id: 0x00,
    direction: 'both',
    fields: [{ name: 'magic', kind: 'magic', magic: HELLO_MAGIC }, { name: 'version', kind: 'u16' }, str('software')],
  },

  ping: { id: 0x01, direction: 'station-to-agent', fields: [u32('nonce')] },
  'get-info': { id: 0x02, direction: 'station-to-agent', fields: [] },
  dial: { id: 0x03, direction: 'station-to-agent', fields: [u32('callId'), str('number')] },
  answer: { id: 0x04, direction: 'station-to-agent', fields: callId },
  decline: { id: 0x05, direction: 'station-to-agent', fields: callId },
  'hang-up': { id: 0x06, direction: 'station-to-agent', fields: callId },
  'send-message': { id: 0x07, direction: 'station-to-agent', fields: [u32('messageId'), str('to'), str('text')] },
  'audio-start': { id: 0x08, direction: 'station-to-agent', fields: callId },
  'audio-stop': { id: 0x09, direction: 'station-to-agent', fields: callId },
  'audio-ack': { id: 0x0a, direction: 'station-to-agent', fields: [u32('seq')] },
  // Sent once, right after the station's hello: what this connection carries (PROTOCOL.md, "Channels").
  channel: { id: 0x0b, direction: 'station-to-agent', fields: [{ name: 'channel', kind: 'enum', values: CHANNELS }] },

  pong: { id: 0x41, direction: 'agent-to-station', fields: [u32('nonce')] },
  info: {
    id: 0x42,
    direction: 'agent-to-station',
    fields: [
      str('software'),
      str('account'),
      str('whatsappVersion'),
      str('androidVersion'),
      { name: 'sdk', kind: 'u16' },
      str('manufacturer'),
      str('model'),
      { name: 'batteryLevel', kind: 'u8' },
      { name: 'charging', kind: 'bool' },
      { name: 'temperatureDeciC', kind: 'i16' },
      { name: 'networkType', kind: 'enum', values: NETWORK_TYPES },
      { name: 'signalLevel', kind: 'u8' },
      { name: 'audioRoute', kind: 'enum', values: AUDIO_ROUTES },
      // v3. Besides answering get-info, the agent sends info by itself when the account state changes.
      { name: 'accountState', kind: 'enum', values: ACCOUNT_STATES },
    ],
  },
  'call-incoming': { id: 0x43, direction: 'agent-to-station', fields: [u32('callId'), str('number'), str('name')] },
  'call-dialing': { id: 0x44, direction: 'agent-to-station', fields: [u32('callId'), str('number')] },
  'call-ringing': { id: 0x45, direction: 'agent-to-station', fields: callId },
  'call-connected': { id: 0x46, direction: 'agent-to-station', fields: callId },
  'call-ended': {
    id: 0x47,
    direction: 'agent-to-station',
    fields: [u32('callId'), { name: 'outcome', kind: 'enum', values: CALL_OUTCOMES }],
  },
  'message-received': {
    id: 0x48,
    direction: 'agent-to-station',
    fields: [str('from'), str('name'), str('text'), { name: 'time', kind: 'u64' }],
  },
  'message-sent': {
    id: 0x49,
    direction: 'agent-to-station',
    fields: [u32('messageId'), { name: 'ok', kind: 'bool' }, str('error')],
  },
  error: { id: 0x4f, direction: 'agent-to-station', fields: [{ name: 'code', kind: 'u16' }, str('message')] },

  audio: { id: 0x80, direction: 'both', fields: [u32('seq'), u32('timestamp'), { name: 'pcm', kind: 'pcm' }] },
} as const satisfies Record<string, MessageSpecShape>;

export type MessageType = keyof typeof MESSAGES;
export type MessageSpec = (typeof MESSAGES)[MessageType];
export type FieldSpec = MessageSpec['fields'][number];

/** The TypeScript value of one field. */
type FieldValue<F> = F extends { kind: 'str' }
  ? string
  : F extends { kind: 'bool' }
    ? boolean
    : F extends { kind: 'pcm' }
      ? Buffer
      : F extends { kind: 'enum'; values: readonly (infer V)[] }
        ? V
        : number;

/** Flattens an intersection so editors show `{ type: 'dial'; callId: number; number: string }`. */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A message object: `type` plus one property per field; `magic` fields are checked, not carried. */
type FieldsOf<Fs extends readonly FieldSpecShape[]> = {
  [F in Fs[number] as F extends { kind: 'magic' } ? never : F['name']]: FieldValue<F>;
};

export type MessageOf<T extends MessageType> = Simplify<{ type: T } & FieldsOf<(typeof MESSAGES)[T]['fields']>>;

/** Every message either side can send, discriminated on `type`. */
export type AgentMessage = { [T in MessageType]: MessageOf<T> }[MessageType];

type TypesSentBy<D extends Direction> = {
  [T in MessageType]: (typeof MESSAGES)[T]['direction'] extends D | 'both' ? T : never;
}[MessageType];

/** Messages the station sends: hello, the commands, audio. */
export type StationMessage = Extract<AgentMessage, { type: TypesSentBy<'station-to-agent'> }>;
/** Messages the agent sends: hello, replies and events, audio. */
export type AgentEventMessage = Extract<AgentMessage, { type: TypesSentBy<'agent-to-station'> }>;

export type StationMessageType = StationMessage['type'];
export type AgentEventMessageType = AgentEventMessage['type'];

/** Frame id -> message type, for the decoder. */
export const MESSAGE_TYPE_BY_ID: ReadonlyMap<number, MessageType> = new Map(
  (Object.keys(MESSAGES) as MessageType[]).map((type) => [MESSAGES[type].id, type]),
);

export function isMessageType(value: string): value is MessageType {
  return Object.prototype.hasOwnProperty.call(MESSAGES, value);
}

/** True for ids the agent assigned (incoming calls). */
export function isIncomingCallId(id: number): boolean {
  return id >= INCOMING_CALL_ID_BIT && id <= 0xffffffff;
}

/** True for ids the station may assign to an outbound call. */
export function isStationCallId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= MAX_STATION_CALL_ID;
}
