/**
 * Calls through a line end to end, with real peers on loopback: kamailio as the PBX, baresip as a PBX
 * user's phone, the station core, and a virtual phone on the real adb server whose simulated WhatsApp
 * contacts echo or play a tone. The audio baresip hears is measured: frequency, level, correlation with
 * what it sent, and the 5 kHz content only G.722 can carry.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../electron/station/config/config-file';
import { Station } from '../../electron/station/station';
import { setLogLevel, type LogLevel } from '../../electron/station/util/log';
import { bestLag, dominantFrequency, toneDbfs } from '../../native-audio/pcm';
import { VirtualPhoneFarm } from '../../phone-agent/simulator/virtual-phone-farm';
import { buildWav, parseWav } from '../../phone-agent/simulator/whatsapp/wav-reader';
import { adb, freePort, killAdbServer } from '../support/adb';
import { Baresip } from '../support/baresip';
import { Kamailio } from '../support/kamailio';
import { waitFor } from '../support/wait';

const ECHO = '15550109001';
const TONE = '15550109002';
const LINE_USER = '2001';
const DESK_USER = '1001';

let kamailio: Kamailio;
let farm: VirtualPhoneFarm;
let station: Station;
let adbPort: number;
let dir: string;
let sourceWav: string;

/** 1 kHz at -12 dBFS + 5 kHz at -20 dBFS + seeded noise at -34 dBFS: a tone to measure, HD content, and a pattern to correlate. */
function testSignal(seconds: number): Buffer {
  const n = seconds * 16_000;
  const pcm = Buffer.alloc(n * 2);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const noise = ((seed / 2 ** 32) * 2 - 1) * 0.02 * 32767;
    const v = 0.25 * 32767 * Math.sin((2 * Math.PI * 1000 * i) / 16_000) + 0.1 * 32767 * Math.sin((2 * Math.PI * 5000 * i) / 16_000) + noise;
    pcm.writeInt16LE(Math.round(v), i * 2);
  }
  return buildWav(pcm);
}

function readPcm(file: string): { pcm: Int16Array; rate: number } {
  const wav = parseWav(readFileSync(file), file);
  const data = wav.pcm;
  return { pcm: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)), rate: wav.sampleRate };
}

beforeAll(async () => {
  setLogLevel((process.env.SIP2WA_LOG as LogLevel | undefined) ?? 'warn');
  dir = mkdtempSync(join(tmpdir(), 'sip2wa-calls-'));
  sourceWav = join(dir, 'source.wav');
  writeFileSync(sourceWav, testSignal(20));
  kamailio = await Kamailio.start({ users: { [LINE_USER]: 'line-pass-2001', [DESK_USER]: 'desk-pass-1001' } });
  adbPort = await freePort();
  await adb(adbPort, 'start-server');
  farm = new VirtualPhoneFarm({
    count: 1,
    basePort: 0,
    adbPort,
    scenario: {
      contacts: [
        { number: ECHO, name: 'Echo', behaviour: 'echo', answerAfterMs: 300 },
        { number: TONE, name: 'Tone Lady', behaviour: 'tone', frequencyHz: 700 },
      ],
    },
  });
  await farm.start();
  const phone = farm.phones[0]!;
  const config = validateConfig({
    version: 1,
    pbx: [{ id: 'pbx', host: kamailio.address, port: kamailio.port, transport: 'udp', registerExpires: 120 }],
    lines: [{ id: 'wa1', serial: phone.serial, pbx: 'pbx', user: LINE_USER, password: 'line-pass-2001', inboundExtension: DESK_USER }],
    media: { bindAddress: '127.0.0.1', rtpPortMin: 41000, rtpPortMax: 41999 },
  });
  station = new Station({ config, devices: { adb: { port: adbPort } } });
  await station.start();
  await waitFor('line registered', () => station.line('wa1')?.state === 'registered', 20_000);
}, 60_000);

afterAll(async () => {
  await station?.stop();
  await farm?.stop();
  await kamailio?.stop();
  await killAdbServer(adbPort);
});

async function deskPhone(codec: string, answerMode: 'manual' | 'auto' = 'manual', displayName?: string): Promise<Baresip> {
  const phone = new Baresip({
    dir: mkdtempSync(join(dir, `baresip-${codec}-`)),
    registrar: `${kamailio.address}:${kamailio.port}`,
    user: DESK_USER,
    password: 'desk-pass-1001',
    displayName,
    answerMode,
    codecs: [codec],
    sourceWav,
  });
  await phone.start();
  await phone.waitRegistered();
  return phone;
}

describe('SIP -> WhatsApp through a line', () => {
  for (const codec of ['G722', 'PCMU', 'PCMA']) {
    it(`carries ${codec} audio both ways to an echoing WhatsApp contact`, { timeout: 60_000 }, async () => {
      const desk = await deskPhone(codec, 'manual', ECHO);
      try {
        desk.dial(`sip:${LINE_USER}@${kamailio.address}:${kamailio.port}`);
        await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
        const line = station.line('wa1')!;
        expect(line.call?.number).toBe(ECHO);
        expect(line.call?.codec).toBe(codec);
        expect(line.state).toBe('in-call');
        await new Promise((r) => setTimeout(r, 3_000));
        desk.hangup();
        await desk.waitEvent((e) => e.type === 'CALL_CLOSED');
        await waitFor('call ended on the line', () => line.call?.state === 'ended');
        expect(line.call!.view()).toMatchObject({ outcome: 'answered', sipCode: 200, hangupSide: 'sip' });

        const heard = readPcm(desk.recordings().heard[0]!);
        const sent = readPcm(desk.recordings().sent[0]!);
        const rate = heard.rate;
        // Skip the first second (call setup, jitter buffers filling), measure the next 1.5 s.
        const window = heard.pcm.subarray(rate, rate * 2.5);
        const freq = dominantFrequency(window, rate, 300, Math.min(3000, rate / 2 - 100), 5);
        expect(Math.abs(freq - 1000) / 1000).toBeLessThan(0.01);
        const level = toneDbfs(window, 1000, rate);
        expect(level).toBeGreaterThan(-20);
        expect(level).toBeLessThan(-8);
        if (rate === 16_000) {
          const hd = toneDbfs(window, 5000, rate);
          if (codec === 'G722') expect(hd).toBeGreaterThan(-30);
          else expect(hd).toBeLessThan(-45);
        }
        const { r, lag } = bestLag(sent.pcm.subarray(0, rate * 3), heard.pcm.subarray(0, rate * 3), Math.round(rate * 0.5));
        expect(r).toBeGreaterThan(0.8);
        console.log(`${codec}: ${freq.toFixed(1)} Hz at ${level.toFixed(1)} dBFS; echo correlation ${r.toFixed(3)} at ${((lag / rate) * 1000).toFixed(0)} ms`);
      } finally {
        await desk.stop();
      }
    });
  }
});

describe('WhatsApp -> SIP through a line', () => {
  it('rings the inbound extension with the caller as caller ID and carries the caller\'s voice', { timeout: 60_000 }, async () => {
    const desk = await deskPhone('G722', 'auto');
    try {
      farm.whatsapp.callFromContact(TONE, farm.phones[0]!.device.account);
      const incoming = await desk.waitEvent((e) => e.type === 'CALL_INCOMING' || e.type === 'CALL_ESTABLISHED', 15_000);
      expect(String(incoming.peeruri)).toContain(TONE);
      await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 10_000);
      const line = station.line('wa1')!;
      await waitFor('connected on the line', () => line.call?.state === 'connected');
      expect(line.call!.view()).toMatchObject({ direction: 'whatsapp-to-sip', number: TONE, name: 'Tone Lady' });
      await new Promise((r) => setTimeout(r, 2_500));
      desk.hangup();
      await waitFor('call ended on the line', () => line.call?.state === 'ended');
      const heard = readPcm(desk.recordings().heard[0]!);
      const window = heard.pcm.subarray(heard.rate, heard.rate * 2);
      expect(Math.abs(dominantFrequency(window, heard.rate, 300, 3000, 5) - 700) / 700).toBeLessThan(0.01);
      expect(toneDbfs(window, 700, heard.rate)).toBeGreaterThan(-20);
    } finally {
      await desk.stop();
    }
  });
});
