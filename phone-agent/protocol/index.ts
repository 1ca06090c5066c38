/** The agent protocol v3: message table, codec and errors (see PROTOCOL.md). */
export * from './messages';
export { encodeMessage, decodePayload, FrameDecoder, FRAME_FLAGS_NONE } from './codec';
export { ProtocolError, PROTOCOL_ERROR_CODES, isProtocolErrorCode, type ProtocolErrorCode } from './protocol-error';
