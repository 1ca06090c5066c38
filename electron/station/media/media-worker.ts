/**
 * The media plane's thread: many RTP sessions on one PacingClock, driven by messages from the
 * MediaEngine on the control thread (media-messages.ts). A slow UI or a burst of SIP traffic on the
 * control thread cannot delay a 20 ms tick here. Each call's phone audio connection lives here too
 * (worker-phone-audio.ts), so RTP and the phone's PCM meet without crossing to the control thread.
 *
 * Started through media-worker-boot.mjs, which registers tsx when the station runs from TypeScript.
 */
import { parentPort } from 'node:worker_threads';
import { createLogger } from '../util/log';
import { PacingClock } from '../../../native-audio/pacing-clock';
import type { FromWorker, ReplyValue, ToWorker } from './media-messages';
import { RtpSession } from './rtp-session';
import { WorkerPhoneAudio } from './worker-phone-audio';
import { threadCpuMs } from './thread-cpu';

const log = createLogger('media-worker');
const port = parentPort;
if (!port) throw new Error('media-worker.ts must run in a worker thread (use MediaEngine)');

const clock = new PacingClock();
const sessions = new Map<string, RtpSession>();

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

const phones = new WorkerPhoneAudio({ log, clock, post, session: (id) => sessions.get(id) });

function session(id: string): RtpSession {
  const s = sessions.get(id);
  if (!s) throw new Error(`no media session '${id}' in this worker`);
  return s;
}

async function handle(m: Exclude<ToWorker, { type: 'pcm' }>): Promise<ReplyValue> {
  switch (m.type) {
    case 'create': {
      if (sessions.has(m.spec.id)) throw new Error(`media session '${m.spec.id}' already exists`);
      const s = await RtpSession.open({
        ...m.spec,
        clock,
        log,
        onPcm: (frame) => phones.received(m.spec.id, frame),
        onDtmf: (digit) => post({ type: 'dtmf', id: m.spec.id, digit }),
      });
      sessions.set(m.spec.id, s);
      return { port: s.localPort };
    }
    case 'configure':
      session(m.id).configure(m.negotiated);
      return null;
    case 'dtmf':
      return { sent: session(m.id).sendDtmf(m.digits) };
    case 'cpu':
      return { cpuMs: threadCpuMs() };
    case 'describe':
      return { text: session(m.id).describe() };
    case 'stats':
      return { clock: clock.stats(), sessions: [...sessions.values()].map((s) => s.stats()), phones: phones.stats() };
    case 'destroy': {
      const s = sessions.get(m.id);
      phones.forget(m.id);
      sessions.delete(m.id);
      await s?.close();
      return null;
    }
    case 'phone':
      phones.bridge(m.id, m.phone);
      return null;
    case 'phone-port':
      phones.setPort(m.id, m.port);
      return null;
    case 'unphone':
      return phones.unbridge(m.id);
    case 'play':
      return phones.play(m.id, new Int16Array(m.pcm));
    case 'stop-play':
      phones.stopPlay(m.id);
      return null;
    case 'loopback':
      session(m.id);
      phones.loopback(m.id, m.on);
      return null;
    case 'record':
      await phones.record(m.id, m.file);
      return null;
    case 'unrecord':
      return phones.unrecord(m.id);
    case 'tap':
      phones.tap(m.id, m.on);
      return null;
    case 'echo-test':
      return phones.echoTest(m.id, m.phone);
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'pcm') {
    // A frame for a session that just closed is not an error: the phone is a few frames behind.
    sessions.get(m.id)?.pushPcm(new Int16Array(m.pcm));
    return;
  }
  handle(m).then(
    (value) => post({ type: 'ok', req: m.req, value }),
    (err: unknown) => post({ type: 'error', req: m.req, message: err instanceof Error ? err.message : String(err) }),
  );
});

post({ type: 'ready' });
