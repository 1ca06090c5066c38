import { describe, expect, it } from 'vitest';
import { CallMediaWatch, describeMediaAlarm, type MediaAlarm, type MediaSample } from './call-media-watch';
import type { MediaDirection } from './sdp';

const SPEECH = -20;
const MUTED = -120;

/** Drives a watch with one sample a second, as the media engine pulls stats; time is the test's. */
class Driver {
  at = 1_000_000;
  packets = 0;
  readonly alarms: Array<MediaAlarm & { seenAt: number }> = [];

  constructor(readonly watch: CallMediaWatch) {}

  /** `seconds` samples: RTP arriving or not, each side's level, the media direction. */
  run(seconds: number, s: { rtp?: boolean; pbx?: number; phone?: number; direction?: MediaDirection } = {}): void {
    for (let i = 0; i < seconds; i++) {
      this.at += 1000;
      if (s.rtp ?? true) this.packets += 50;
      const sample: MediaSample = { at: this.at, packetsReceived: this.packets, direction: s.direction ?? 'sendrecv', levelInDbfs: s.pbx ?? SPEECH, levelOutDbfs: s.phone ?? SPEECH };
      for (const a of this.watch.sample(sample)) this.alarms.push({ ...a, seenAt: this.at });
    }
  }
}

describe('RTP timeout', () => {
  it('trips once, N seconds after the last RTP, and knows when RTP last came', () => {
    const d = new Driver(new CallMediaWatch({ rtpTimeoutMs: 5_000 }));
    d.run(3);
    const lastRtp = d.at;
    d.run(4, { rtp: false });
    expect(d.alarms.filter((a) => a.kind === 'rtp-timeout')).toEqual([]);
    d.run(1, { rtp: false });
    expect(d.alarms.filter((a) => a.kind === 'rtp-timeout')).toEqual([{ kind: 'rtp-timeout', lastRtpAt: lastRtp, quietMs: 5_000, seenAt: lastRtp + 5_000 }]);
    d.run(10, { rtp: false });
    expect(d.alarms.filter((a) => a.kind === 'rtp-timeout')).toHaveLength(1);
    expect(describeMediaAlarm(d.alarms[0]!)).toMatch(/^no RTP from the PBX for 5 s/);
  });

  it('is off at 0: a minute without RTP ends nothing', () => {
    const d = new Driver(new CallMediaWatch({ rtpTimeoutMs: 0 }));
    d.run(60, { rtp: false, pbx: MUTED, phone: MUTED });
    expect(d.alarms).toEqual([]);
  });

  it('does not trip on hold (sendonly / inactive), and counts again from the end of the hold', () => {
    const d = new Driver(new CallMediaWatch({ rtpTimeoutMs: 5_000 }));
    d.run(2);
    d.run(30, { rtp: false, direction: 'recvonly', pbx: MUTED, phone: MUTED });
    d.run(10, { rtp: false, direction: 'inactive', pbx: MUTED, phone: MUTED });
    expect(d.alarms).toEqual([]);
    const resumed = d.at;
    d.run(4, { rtp: false });
    expect(d.alarms.filter((a) => a.kind === 'rtp-timeout')).toEqual([]);
    d.run(1, { rtp: false });
    expect(d.alarms.filter((a) => a.kind === 'rtp-timeout')).toMatchObject([{ seenAt: resumed + 5_000 }]);
  });

  it('trips for a call whose RTP never came, dated from the start of the watch', () => {
    const d = new Driver(new CallMediaWatch({ rtpTimeoutMs: 3_000 }));
    const start = d.at + 1000;
    d.run(4, { rtp: false });
    expect(d.alarms.filter((a) => a.kind === 'rtp-timeout')).toMatchObject([{ lastRtpAt: start, seenAt: start + 3_000 }]);
    expect(d.watch.lastRtpAt).toBeNull();
  });
});

describe('one-way audio', () => {
  it('says so after 10 s of a silent PBX side while the phone side speaks, once', () => {
    const d = new Driver(new CallMediaWatch({ rtpTimeoutMs: 0 }));
    d.run(5);
    const from = d.at + 1000;
    d.run(10, { pbx: MUTED });
    expect(d.alarms).toEqual([]);
    d.run(1, { pbx: MUTED });
    expect(d.alarms).toEqual([{ kind: 'one-way', silent: 'pbx', silentSince: from, silentMs: 10_000, seenAt: from + 10_000 }]);
    d.run(20, { pbx: MUTED });
    expect(d.alarms).toHaveLength(1);
    expect(describeMediaAlarm(d.alarms[0]!)).toMatch(/^one-way audio: nothing heard from the PBX side for 10 s/);
  });

  it('names the phone side when the phone is silent, and re-arms when it is heard again', () => {
    const d = new Driver(new CallMediaWatch({ rtpTimeoutMs: 0 }));
    d.run(11, { phone: MUTED });
    d.run(2);
    d.run(11, { phone: MUTED });
    expect(d.alarms.map((a) => (a.kind === 'one-way' ? a.silent : null))).toEqual(['phone', 'phone']);
    expect(describeMediaAlarm(d.alarms[0]!)).toMatch(/nothing heard from the phone for 10 s/);
  });

  it('is not one-way when both sides are quiet, or the silent side was heard within 10 s', () => {
    const quiet = new Driver(new CallMediaWatch({ rtpTimeoutMs: 0 }));
    quiet.run(30, { pbx: MUTED, phone: MUTED });
    expect(quiet.alarms).toEqual([]);
    const pauses = new Driver(new CallMediaWatch({ rtpTimeoutMs: 0 }));
    for (let i = 0; i < 5; i++) {
      pauses.run(9, { pbx: MUTED });
      pauses.run(1);
    }
    expect(pauses.alarms).toEqual([]);
  });

  it('counts RTP that stopped as a silent PBX side (the received level holds its last value)', () => {
    const d = new Driver(new CallMediaWatch({ rtpTimeoutMs: 0 }));
    d.run(2);
    d.run(11, { rtp: false, pbx: SPEECH });
    expect(d.alarms).toMatchObject([{ kind: 'one-way', silent: 'pbx' }]);
  });

  it('is not raised on hold', () => {
    const d = new Driver(new CallMediaWatch({ rtpTimeoutMs: 0 }));
    d.run(30, { pbx: MUTED, direction: 'recvonly' });
    expect(d.alarms).toEqual([]);
  });
});
