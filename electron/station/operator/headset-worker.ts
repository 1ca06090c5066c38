/**
 * The operator's headset thread: the PC's sound devices (naudiodon) for a test dial and the call's
 * audio connection to the phone's agent (media/phone-audio-link.ts), so the headset's PCM goes
 * mic -> phone and phone -> speaker here and never through the station's control thread. Driven by
 * messages from headset-host.ts (headset-messages.ts).
 *
 * A thread of its own rather than a media worker: naudiodon's device scan and stream opening are
 * synchronous PortAudio calls that hold the thread for tens of milliseconds (40-80 ms to list the
 * devices and about 70 ms to open both streams against PulseAudio on the 2-core test machine, more with
 * some USB devices), which in a media worker would hold back every RTP session's 20 ms tick by several.
 *
 * Started through media/media-worker-boot.mjs, which registers tsx when the station runs from TypeScript.
 */
import { parentPort } from 'node:worker_threads';
import { openHeadset, type Headset } from '../../../native-audio/local-audio';
import { listAudioDevices } from '../../../native-audio/local-audio-devices';
import { PhoneAudioLink } from '../media/phone-audio-link';
import { createLogger, type Logger } from '../util/log';
import type { FromHeadsetWorker, HeadsetClosed, HeadsetReply, ToHeadsetWorker } from './headset-messages';

const port = parentPort;
if (!port) throw new Error('headset-worker.ts must run in a worker thread (use HeadsetHost)');

interface Dial {
  headset: Headset;
  link: PhoneAudioLink | null;
  levels: NodeJS.Timeout;
  log: Logger;
}

let dial: Dial | null = null;
/** The streams of the last test dial stopping: a new open, or a close from shutdown, waits for it. */
let closing: Promise<unknown> = Promise.resolve();

function post(message: FromHeadsetWorker): void {
  port!.postMessage(message);
}

function current(what: string): Dial {
  if (!dial) throw new Error(`no headset is open to ${what}`);
  return dial;
}

async function handle(m: ToHeadsetWorker): Promise<HeadsetReply> {
  switch (m.type) {
    case 'devices':
      return listAudioDevices();
    case 'open': {
      if (dial) throw new Error('the headset is already open for another test dial');
      await closing;
      const headset = openHeadset({ input: m.input, output: m.output });
      const opened: Dial = { headset, link: null, log: createLogger('headset', { line: m.lineId }), levels: setInterval(() => post({ type: 'levels', ...headset.takeLevels() }), m.levelsEveryMs) };
      dial = opened;
      headset.onError((err) => post({ type: 'failed', message: err.message }));
      headset.onMic((frame) => opened.link?.send(frame));
      headset.start();
      return { input: { name: headset.capture.name, rate: headset.capture.rate }, output: { name: headset.playback.name, rate: headset.playback.rate } };
    }
    case 'phone': {
      const d = current('bridge to the phone');
      d.link?.close('replaced by a new audio connection');
      d.link = new PhoneAudioLink({ ...m.phone, log: d.log, onFrame: (frame) => d.headset.play(frame) });
      return null;
    }
    case 'phone-port':
      dial?.link?.setPort(m.port);
      return null;
    case 'mute':
      current('mute').headset.muted = m.muted;
      return null;
    case 'close':
      return close();
    case 'stats':
      return { open: dial !== null, phone: dial?.link ? { state: dial.link.state, counts: { ...dial.link.counts } } : null, headset: dial ? { ...dial.headset.counts } : null };
  }
}

/** Ends the test dial's audio: the audio connection first (the phone stops sending), then both device streams. */
async function close(): Promise<HeadsetClosed | null> {
  const d = dial;
  if (!d) {
    await closing;
    return null;
  }
  dial = null;
  clearInterval(d.levels);
  d.link?.close();
  closing = d.headset.close();
  await closing;
  return { headset: { ...d.headset.counts }, phone: d.link ? { ...d.link.counts } : null };
}

port.on('message', (m: ToHeadsetWorker) => {
  handle(m).then(
    (value) => post({ type: 'ok', req: m.req, value }),
    (err: unknown) => post({ type: 'error', req: m.req, message: err instanceof Error ? err.message : String(err) }),
  );
});

post({ type: 'ready' });
