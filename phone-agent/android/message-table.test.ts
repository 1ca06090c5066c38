/**
 * The Java agent keeps its message table by hand (core/src/org/sip2wa/agent/protocol/MessageType.java);
 * this test runs the Java dumper and fails when any message id, direction, field name, kind or order,
 * enum value or shared constant differs from messages.ts, the table the station is built from.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AGENT_ERROR_CODES,
  AGENT_SOCKET_NAME,
  HEADER_BYTES,
  HELLO_MAGIC,
  INCOMING_CALL_ID_BIT,
  MAX_PAYLOAD_BYTES,
  MAX_STATION_CALL_ID,
  MESSAGES,
  PROTOCOL_ERROR_CODES,
  PROTOCOL_VERSION,
} from '../protocol';
import { buildHostAgentClasses } from '../simulator/java-agent/java-agent-host';

/** messages.ts in the dumper's shape: magic fields carry no value list, enum fields their values. */
function typeScriptTable(): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  for (const [type, spec] of Object.entries(MESSAGES)) {
    messages[type] = {
      id: spec.id,
      direction: spec.direction,
      fields: spec.fields.map((f) => ('values' in f ? { name: f.name, kind: f.kind, values: [...f.values] } : { name: f.name, kind: f.kind })),
    };
  }
  return {
    version: PROTOCOL_VERSION,
    magic: HELLO_MAGIC,
    socket: AGENT_SOCKET_NAME,
    headerBytes: HEADER_BYTES,
    maxPayloadBytes: MAX_PAYLOAD_BYTES,
    incomingCallIdBit: INCOMING_CALL_ID_BIT,
    maxStationCallId: MAX_STATION_CALL_ID,
    agentErrorCodes: { ...AGENT_ERROR_CODES },
    decodeErrors: [...PROTOCOL_ERROR_CODES],
    messages,
  };
}

describe('the Java message table', () => {
  it('is the table of messages.ts, message by message and field by field', async () => {
    const classes = await buildHostAgentClasses();
    const { stdout } = await promisify(execFile)('java', ['-cp', classes, 'org.sip2wa.agent.host.MessageTableDump']);
    const java = JSON.parse(stdout) as Record<string, unknown>;
    const ts = typeScriptTable();
    // Message by message first, so a difference names the message.
    const javaMessages = java.messages as Record<string, unknown>;
    for (const [type, spec] of Object.entries(ts.messages as Record<string, unknown>)) {
      expect(javaMessages[type], `message '${type}'`).toEqual(spec);
    }
    expect(Object.keys(javaMessages).sort()).toEqual(Object.keys(ts.messages as object).sort());
    expect(java).toEqual(ts);
  }, 60_000);
});
