/**
 * The rig of the end-to-end call tests: kamailio as the PBX, a private adb server with virtual phones
 * whose simulated WhatsApp has an echoing and a tone-playing contact, the station core with one line
 * per phone, and baresip desk phones registered as PBX users.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallView } from '../../electron/station/api/types';
import { validateConfig } from '../../electron/station/config/config-file';
import type { StationConfig } from '../../electron/station/config/schema';
import { Station, type StationOptions } from '../../electron/station/station';
import { setLogLevel, type LogLevel } from '../../electron/station/util/log';
import { VirtualPhoneFarm, type AgentKind } from '../../phone-agent/simulator/virtual-phone-farm';
import { buildWav, parseWav } from '../../native-audio/wav';
import { adb, freePort, killAdbServer } from './adb';
import { Baresip } from './baresip';
import { Kamailio } from './kamailio';
import { waitFor } from './wait';

export const ECHO = '15550109001';
export const TONE = '15550109002';
export const REJECTS = '15550109003';
export const OFFLINE = '15550109004';
export const NOT_ON_WHATSAPP = '15550109005';
export const BUSY = '15550109006';
/** Rings for a long time before answering: for callers who give up. */
export const SLOW = '15550109007';
export const LINE_USER = '2001';
export const DESK_USER = '1001';
const DESK_PASS = 'desk-pass-1001';

/** 1 kHz at -12 dBFS + 5 kHz at -20 dBFS + seeded noise at -34 dBFS: a tone to measure, HD content, and a pattern to correlate. */
export function testSignal(seconds: number): Buffer {
  const n = seconds * 16_000;
  const pcm = Buffer.alloc(n * 2);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    // Math.imul keeps the LCG exact: a float product loses the low bits and the noise then repeats every
    // 379 ms, which made the echo correlation pick the true lag + 379 ms (the "440 ms" echo).
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const noise = ((seed / 2 ** 32) * 2 - 1) * 0.02 * 32767;
    const v = 0.25 * 32767 * Math.sin((2 * Math.PI * 1000 * i) / 16_000) + 0.1 * 32767 * Math.sin((2 * Math.PI * 5000 * i) / 16_000) + noise;
    pcm.writeInt16LE(Math.round(v), i * 2);
  }
  return buildWav(pcm);
}

/**
 * Waits until a call's RTP has carried `seconds` of audio each way, by its live stats (refreshed about
 * once a second): a test holds a call for the audio it needs, not for a time a busy machine may not fill.
 */
export async function untilCarried(call: { view(): CallView }, seconds: number): Promise<void> {
  const packets = Math.ceil(seconds * 50);
  await waitFor(
    `${seconds} s of audio each way on the call`,
    () => {
      const s = call.view().stats;
      return s !== null && s.packetsSent >= packets && s.packetsReceived >= packets;
    },
    15_000 + seconds * 2_000,
    50,
  );
}

/** A recording's samples and rate. */
export function readPcm(file: string): { pcm: Int16Array; rate: number } {
  const wav = parseWav(readFileSync(file), file);
  const data = wav.pcm;
  return { pcm: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)), rate: wav.sampleRate };
}

export interface CallRigOptions {
  /** Phones (and lines wa1, wa2... with extensions 2001, 2002...); default 1. */
  phones?: number;
  /** Extra settings for every line (busyReply, group...). */
  line?: Record<string, unknown>;
  /** Extra top-level configuration (routing, messages...). */
  config?: Record<string, unknown>;
  /** kamailio challenges INVITEs with 407 (the lines must authenticate their calls to the PBX). */
  challengeInvites?: boolean;
  /** The agent behind the virtual phones: the simulated one (default) or the real Java agent core. */
  agent?: AgentKind;
  /** SIP timers for the station (a short T1 makes 64*T1 timeouts, such as a missing ACK, take seconds). */
  sipTimers?: StationOptions['sipTimers'];
  /** The station's SQLite file (a restart on the same data); in memory when absent. */
  databaseFile?: string;
  /** Give the station a data folder (under the rig's folder): call recordings need one. */
  dataDir?: boolean;
}

export class CallRig {
  kamailio!: Kamailio;
  farm!: VirtualPhoneFarm;
  station!: Station;
  adbPort = 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'sip2wa-calls-'));
  readonly sourceWav = join(this.dir, 'source.wav');
  private desks: Baresip[] = [];

  constructor(private readonly options: CallRigOptions = {}) {}

  async start(): Promise<void> {
    setLogLevel((process.env.SIP2WA_LOG as LogLevel | undefined) ?? 'warn');
    writeFileSync(this.sourceWav, testSignal(20));
    const phones = this.options.phones ?? 1;
    const lineUsers = Array.from({ length: phones }, (_, i) => String(Number(LINE_USER) + i));
    this.kamailio = await Kamailio.start({
      users: { ...Object.fromEntries(lineUsers.map((u) => [u, `line-pass-${u}`])), [DESK_USER]: DESK_PASS },
      challengeInvites: this.options.challengeInvites,
    });
    this.adbPort = await freePort();
    await adb(this.adbPort, 'start-server');
    this.farm = new VirtualPhoneFarm({
      count: phones,
      basePort: 0,
      adbPort: this.adbPort,
      agent: this.options.agent,
      scenario: {
        contacts: [
          { number: ECHO, name: 'Echo', behaviour: 'echo', answerAfterMs: 300 },
          { number: TONE, name: 'Tone Lady', behaviour: 'tone', frequencyHz: 700 },
          { number: REJECTS, name: 'Rejects', behaviour: 'reject', rejectAfterMs: 500 },
          { number: OFFLINE, name: 'Offline', behaviour: 'offline' },
          { number: NOT_ON_WHATSAPP, behaviour: 'not-on-whatsapp' },
          { number: BUSY, name: 'Busy', behaviour: 'busy' },
          { number: SLOW, name: 'Slow', behaviour: 'echo', answerAfterMs: 30_000 },
        ],
      },
    });
    await this.farm.start();
    const config = validateConfig({
      version: 1,
      pbx: [{ id: 'pbx', host: this.kamailio.address, port: this.kamailio.port, transport: 'udp', registerExpires: 120 }],
      lines: lineUsers.map((user, i) => ({
        id: `wa${i + 1}`,
        serial: this.farm.phones[i]!.serial,
        pbx: 'pbx',
        user,
        password: `line-pass-${user}`,
        inboundExtension: DESK_USER,
        ...this.options.line,
      })),
      media: { bindAddress: '127.0.0.1', rtpPortMin: 41000, rtpPortMax: 41999 },
      // Tests place calls back to back on one line: no anti-ban pause unless a test asks for it.
      policy: { pauseBetweenCalls: { enabled: false } },
      ...this.options.config,
    });
    this.station = this.newStation(config);
    await this.station.start();
    await waitFor('lines registered', () => this.station.registry!.lines.every((l) => l.state === 'registered'), 20_000);
  }

  /** A station on the rig's adb server and data, as start() makes it. */
  newStation(config: StationConfig): Station {
    const dataDir = this.options.dataDir ? join(this.dir, 'data') : undefined;
    return new Station({ config, devices: { adb: { port: this.adbPort } }, sipTimers: this.options.sipTimers, databaseFile: this.options.databaseFile, dataDir });
  }

  get lineUri(): string {
    return `sip:${LINE_USER}@${this.kamailio.address}:${this.kamailio.port}`;
  }

  /** A URI the PBX routes to the first line with `dialled` kept in the To header (trunk style). */
  dialled(dialled: string): string {
    return `sip:${dialled}@${this.kamailio.address}:${this.kamailio.port}`;
  }

  /** A registered baresip desk phone offering only `codec`. */
  async deskPhone(codec: string, answerMode: 'manual' | 'auto' = 'manual', displayName?: string): Promise<Baresip> {
    const phone = new Baresip({
      dir: mkdtempSync(join(this.dir, `baresip-${codec}-`)),
      registrar: `${this.kamailio.address}:${this.kamailio.port}`,
      user: DESK_USER,
      password: DESK_PASS,
      displayName,
      answerMode,
      codecs: [codec],
      sourceWav: this.sourceWav,
    });
    this.desks.push(phone);
    await phone.start();
    await phone.waitRegistered();
    return phone;
  }

  async stop(): Promise<void> {
    for (const d of this.desks) await d.stop();
    await this.station?.stop();
    await this.farm?.stop();
    await this.kamailio?.stop();
    await killAdbServer(this.adbPort);
  }
}
