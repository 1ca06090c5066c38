/**
 * Call recording end to end: kamailio as the PBX, a baresip desk phone sending its 1 kHz test signal, a
 * virtual phone whose WhatsApp contact plays a 700 Hz tone, the real station with a data folder. An
 * answered call each way is recorded to one stereo WAV (PBX side left, phone side right), linked from
 * its call record and served by the API under the API's access rules; with recording off, no file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency, medianToneDbfs, toneDbfs } from '../../native-audio/pcm';
import { parseWav } from '../../native-audio/wav';
import type { CallRecord } from '../../electron/station/calllog/call-record';
import { startApiServer, type ApiServer } from '../../electron/station/server/http-server';
import type { Baresip } from '../support/baresip';
import { CallRig, TONE, untilCarried } from '../support/call-rig';
import { waitFor } from '../support/wait';

const TOKEN = 'a-long-enough-recording-token';
const rig = new CallRig({ dataDir: true, config: { recording: { enabled: true, lines: ['wa1'] } } });
let open: ApiServer;
let guarded: ApiServer;

beforeAll(async () => {
  await rig.start();
  open = await startApiServer(rig.station, '127.0.0.1', 0, { consoleDir: null });
  // How the station runs beyond loopback: every /api/ request needs the token.
  guarded = await startApiServer(rig.station, '127.0.0.1', 0, { consoleDir: null, token: TOKEN });
}, 60_000);
afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await rig.stop();
});

/** Holds the connected call until it has carried `ms` of audio each way (the length to measure), hangs up at the desk, waits for the recording to close. */
async function holdAndHangUp(desk: Baresip, ms: number): Promise<CallRecord> {
  const line = rig.station.line('wa1')!;
  await waitFor('the call connected and bridged', () => line.call?.state === 'connected' && line.call.bridged, 15_000);
  const call = line.call!;
  await untilCarried(call, ms / 1000);
  desk.hangup();
  await waitFor('the call ended', () => call.ended, 15_000);
  await call.audioStopped();
  return rig.station.callLog!.query({}, { limit: 1 }).records[0]!;
}

/** The recording's two channels, the WAV checked: 16 kHz, 16-bit, stereo. */
function channels(file: string): { left: Int16Array; right: Int16Array } {
  const wav = parseWav(readFileSync(file), file);
  expect({ rate: wav.sampleRate, channels: wav.channels, bits: wav.bitsPerSample }).toEqual({ rate: 16_000, channels: 2, bits: 16 });
  const all = new Int16Array(wav.pcm.buffer.slice(wav.pcm.byteOffset, wav.pcm.byteOffset + wav.pcm.length));
  const left = new Int16Array(all.length / 2);
  const right = new Int16Array(all.length / 2);
  for (let i = 0; i < left.length; i++) [left[i], right[i]] = [all[2 * i]!, all[2 * i + 1]!];
  return { left, right };
}

/** What the recording holds: each side's tone (frequency, level), the other side's leak, and its length. */
function measure(record: CallRecord) {
  expect(record.recording).toBe(`${record.id}.wav`);
  const file = `${rig.station.recordingsDir}/${record.recording}`;
  const { left, right } = channels(file);
  // The middle of the call: the first and last half second carry the answer and the hang-up.
  const mid = (pcm: Int16Array) => pcm.subarray(8_000, pcm.length - 8_000);
  const figures = {
    seconds: left.length / 16_000,
    callSeconds: (Date.parse(record.endedAt!) - Date.parse(record.answeredAt!)) / 1000,
    pbxHz: dominantFrequency(mid(left), 16_000, 300, 3_000),
    pbxDbfs: medianToneDbfs(mid(left), 1000, 16_000),
    phoneHz: dominantFrequency(mid(right), 16_000, 300, 3_000),
    phoneDbfs: medianToneDbfs(mid(right), 700, 16_000),
    leftHas700: toneDbfs(mid(left), 700, 16_000),
    rightHas1000: toneDbfs(mid(right), 1000, 16_000),
  };
  console.log(`recording ${record.direction}: ${JSON.stringify(figures)}`);
  return { file, figures };
}

function expectBothSides(figures: ReturnType<typeof measure>['figures']): void {
  // The desk's 1 kHz at -12 dBFS on the left, the WhatsApp contact's 700 Hz at -12 dBFS on the right.
  expect(figures.pbxHz).toBeGreaterThanOrEqual(990);
  expect(figures.pbxHz).toBeLessThanOrEqual(1010);
  expect(figures.phoneHz).toBeGreaterThanOrEqual(690);
  expect(figures.phoneHz).toBeLessThanOrEqual(710);
  expect(Math.abs(figures.pbxDbfs + 12)).toBeLessThan(3);
  expect(Math.abs(figures.phoneDbfs + 12)).toBeLessThan(3);
  // Each party on its own channel.
  expect(figures.leftHas700).toBeLessThan(-40);
  expect(figures.rightHas1000).toBeLessThan(-40);
  // As long as the call was connected, give or take the setup of the audio and the last batch.
  expect(Math.abs(figures.seconds - figures.callSeconds)).toBeLessThan(1);
}

describe('call recording', () => {
  it('records an answered call from WhatsApp to the PBX, both sides, and serves it under the API rules', { timeout: 90_000 }, async () => {
    const desk = await rig.deskPhone('G722', 'auto');
    try {
      rig.farm.whatsapp.callFromContact(TONE, rig.farm.phones[0]!.device.account);
      await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
      const record = await holdAndHangUp(desk, 4_000);
      expect(record.direction).toBe('whatsapp-to-sip');
      const { file, figures } = measure(record);
      expectBothSides(figures);

      const url = (server: ApiServer, id: string, query = '') => `${server.url}/api/calls/${id}/recording${query}`;
      const got = await fetch(url(open, record.id));
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('audio/wav');
      expect(Buffer.from(await got.arrayBuffer()).equals(readFileSync(file))).toBe(true);
      const download = await fetch(url(open, record.id, '?download=1'));
      expect(download.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="call-\\d{8}-\\d{4}-${TONE}\\.wav"$`));
      await download.arrayBuffer();
      // A player seeking: one byte range.
      const part = await fetch(url(open, record.id), { headers: { range: 'bytes=44-1067' } });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer()).equals(readFileSync(file).subarray(44, 1068))).toBe(true);

      // Beyond loopback the token is required, as for the rest of the API.
      expect((await fetch(url(guarded, record.id))).status).toBe(401);
      expect((await fetch(url(guarded, record.id, `?token=${TOKEN}`))).status).toBe(200);
      // An unknown id, and anything path-like, is a 404: files are found through their record only.
      const unknown = await fetch(url(open, '0f8e2c1a-4b7d-4e3f-9a21-5c6d7e8f9a0b'));
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: 'no call record with the id "0f8e2c1a-4b7d-4e3f-9a21-5c6d7e8f9a0b"' });
      for (const sneaky of ['..%2F..%2Fstation.db', '%2E%2E', encodeURIComponent(`../${record.id}`)]) {
        expect((await fetch(url(open, sneaky))).status, sneaky).toBe(404);
      }
    } finally {
      await desk.stop();
    }
  });

  it('records an answered call from the PBX to WhatsApp, both sides', { timeout: 90_000 }, async () => {
    const desk = await rig.deskPhone('PCMU', 'manual', TONE);
    try {
      desk.dial(rig.lineUri);
      await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
      const record = await holdAndHangUp(desk, 4_000);
      expect(record.direction).toBe('sip-to-whatsapp');
      expectBothSides(measure(record).figures);
    } finally {
      await desk.stop();
    }
  });

  it('records nothing when recording is off', { timeout: 90_000 }, async () => {
    const before = readdirSync(rig.station.recordingsDir!).length;
    rig.station.config.recording.enabled = false;
    const desk = await rig.deskPhone('PCMU', 'auto');
    try {
      rig.farm.whatsapp.callFromContact(TONE, rig.farm.phones[0]!.device.account);
      await desk.waitEvent((e) => e.type === 'CALL_ESTABLISHED', 15_000);
      const record = await holdAndHangUp(desk, 1_500);
      expect(record).toMatchObject({ direction: 'whatsapp-to-sip', outcome: 'answered', recording: null });
      expect(existsSync(`${rig.station.recordingsDir}/${record.id}.wav`)).toBe(false);
      expect(readdirSync(rig.station.recordingsDir!).length).toBe(before);
      expect((await fetch(`${open.url}/api/calls/${record.id}/recording`)).status).toBe(404);
    } finally {
      rig.station.config.recording.enabled = true;
      await desk.stop();
    }
  });
});
