/**
 * Fuzz of the SIP receive path: COUNT random and mutated requests (RFC 4475 families, seeded) sent
 * from 127.0.0.2 to a real station line registered on kamailio, a quarter of them (no INVITEs) from
 * the PBX's address so that they reach sip.js's core. Afterwards the station is up, answers
 * an OPTIONS from the PBX's address, the line is still registered, no WhatsApp call was placed, nothing
 * was thrown, and what the receive path keeps per request (remembered sources, retransmission
 * schedules, sip.js server transactions and dialogs) has drained back to nothing, with the heap after GC
 * close to its level after a warm-up.
 *
 * Reproduce a failure with SIP_FUZZ_SEED (and SIP_FUZZ_COUNT); the failing message's index is logged.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureSipTimers, sipTimers } from '../../electron/station/sip/sip-timers';
import type { UdpTransport } from '../../electron/station/sip/transport/udp-transport';
import { CallRig, LINE_USER } from '../support/call-rig';
import { RawSipPeer, newCallId, sipRequest } from '../support/raw-sip-peer';
import { random as prng } from '../../electron/station/calllog/synthetic-calls';
import { fuzzMessage } from '../support/sip-fuzz';
import { waitFor } from '../support/wait';

const COUNT = Number(process.env.SIP_FUZZ_COUNT ?? 3000);
const SEED = Number(process.env.SIP_FUZZ_SEED ?? 4475);
const WARM_UP = 300;
/** Requests between two OPTIONS round trips: bounds what is in flight, so no datagram is lost to a full socket buffer. */
const BATCH = 50;

const rig = new CallRig();
const dialled: string[] = [];
const thrown: unknown[] = [];
const onThrow = (err: unknown): void => void thrown.push(err);
let attacker: RawSipPeer;
let pbxSide: RawSipPeer;

/** A full GC where vitest's worker has no --expose-gc: the flag can be set at run time for a new context. */
function collect(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

beforeAll(async () => {
  await rig.start();
  // Short transaction timers, so that what the fuzz leaves in the tables expires within seconds.
  configureSipTimers({ T1: 50, T2: 400, T4: 500 });
  const whatsapp = rig.farm.whatsapp;
  const place = whatsapp.call.bind(whatsapp);
  whatsapp.call = (from, to) => {
    dialled.push(to);
    return place(from, to);
  };
  process.on('uncaughtException', onThrow);
  attacker = await RawSipPeer.bind('127.0.0.2');
  pbxSide = await RawSipPeer.bind('127.0.0.1');
}, 60_000);
afterAll(async () => {
  process.off('uncaughtException', onThrow);
  configureSipTimers();
  attacker?.close();
  pbxSide?.close();
  await rig.stop();
});

const account = () => rig.station.line('wa1')!.account!;
const port = () => account().transport.localPort!;

async function options(peer: RawSipPeer): Promise<number> {
  const callId = newCallId();
  await peer.send(sipRequest({ method: 'OPTIONS', ruri: `sip:${LINE_USER}@127.0.0.1:${port()}`, callId, sentBy: `${peer.address}:${peer.port}` }), port());
  return (await peer.finalFor(callId, 10_000)).status;
}

function tables(): { sources: number; retransmitting: number; serverTransactions: number; dialogs: number } {
  const transport = account().transport as UdpTransport;
  const core = account().ua.userAgentCore;
  return {
    sources: transport.rememberedSources,
    retransmitting: transport.retransmitStats.active,
    serverTransactions: core.userAgentServers.size,
    dialogs: core.dialogs.size,
  };
}

/**
 * Waits until the fuzz's entries have expired. Each probe is an OPTIONS, which prunes the remembered
 * sources and leaves one of its own; probes further apart than an entry's lifetime leave only that one.
 */
async function drained(): Promise<void> {
  const lifetime = 64 * sipTimers.T1 + sipTimers.T4;
  await waitFor(`the receive tables drained (${JSON.stringify(tables())} before)`, async () => {
    expect(await options(attacker)).toBe(200);
    const t = tables();
    return t.sources <= 1 && t.retransmitting === 0 && t.serverTransactions === 0 && t.dialogs === 0;
  }, 60_000, lifetime + 250);
}

/**
 * Sends `count` fuzzed requests, every fourth from the PBX's address (no INVITE: those may ring) so
 * that sip.js's core gets mutated requests too; returns how many characters they held.
 */
async function fuzz(r: () => number, from: number, count: number): Promise<number> {
  const target = (peer: RawSipPeer) => ({ user: LINE_USER, host: '127.0.0.1', port: port(), sentBy: `${peer.address}:${peer.port}`, noInvite: peer === pbxSide });
  let chars = 0;
  for (let i = from; i < from + count; i++) {
    const peer = i % 4 === 3 ? pbxSide : attacker;
    const text = fuzzMessage(r, target(peer));
    chars += text.length;
    await peer.send(text, port());
    if ((i + 1) % BATCH === 0) {
      const status = await options(attacker).catch((err: Error) => {
        throw new Error(`seed ${SEED}: the station stopped answering after message ${i}: ${err.message}`);
      });
      expect(status, `seed ${SEED}, after message ${i}`).toBe(200);
      expect(thrown, `seed ${SEED}, by message ${i}`).toEqual([]);
    }
  }
  return chars;
}

describe('SIP receive path fuzz', () => {
  it(`survives ${COUNT} fuzzed requests from 127.0.0.2 (seed ${SEED}) with no dial and flat memory`, { timeout: 300_000 }, async () => {
    const r = prng(SEED);
    await fuzz(r, 0, WARM_UP);
    await drained();
    attacker.received.length = 0;
    pbxSide.received.length = 0;
    const baseline = collect();
    const sent = await fuzz(r, WARM_UP, COUNT);
    await drained();
    const codes = new Map<number, number>();
    for (const d of attacker.received) codes.set(d.status, (codes.get(d.status) ?? 0) + 1);
    const pbxCodes = new Set(pbxSide.received.map((d) => d.status));
    // The answers collected here would count as the station's growth.
    attacker.received.length = 0;
    pbxSide.received.length = 0;
    const after = collect();

    console.log(
      `fuzz seed ${SEED}: ${COUNT} requests, answers to 127.0.0.2 ${JSON.stringify(Object.fromEntries([...codes].sort((a, b) => a[0] - b[0])))}, ` +
        `to the PBX address ${JSON.stringify([...pbxCodes].sort())}, refused by the filter ${account().filter.refused}, ${(sent / 2 ** 20).toFixed(2)} MiB sent, heap after GC ${(baseline / 2 ** 20).toFixed(2)} -> ${(after / 2 ** 20).toFixed(2)} MiB`,
    );
    // The fuzz reached both the filter and the well-formedness checks behind it.
    expect(codes.get(403) ?? 0).toBeGreaterThan(COUNT / 10);
    expect([400, 505].every((c) => (codes.get(c) ?? 0) > 0)).toBe(true);
    // ... and sip.js's own answers to the PBX-side share (405 unknown method, 481 no dialog).
    expect([200, 405, 481].every((c) => pbxCodes.has(c))).toBe(true);
    expect(thrown).toEqual([]);
    expect(dialled).toEqual([]);
    expect(rig.station.line('wa1')!.call).toBeNull();
    expect(await options(pbxSide)).toBe(200);
    expect(rig.station.line('wa1')!.state).toBe('registered');
    // Keeping every datagram (or anything as large per request) would grow the heap by at least the
    // characters sent (one byte each in V8's Latin-1 strings): about 2 MiB for 3,000 requests, against
    // well under 0.5 MiB measured without a leak.
    expect(after - baseline).toBeLessThan(0.75 * sent);
  });
});
