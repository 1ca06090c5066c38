/**
 * G.722 as an RTP codec (payload type 9, 64 kbit/s): 16 kHz audio on an 8000 Hz RTP clock (RFC 3551
 * section 4.5.2 keeps the clock at 8000 for historical reasons), one byte per pair of samples, so
 * a 20 ms frame is 320 samples <-> 160 bytes.
 *
 * Loss concealment is decode-side repeat-and-fade of the last decoded frame (repeat-fade-plc.ts). The
 * ADPCM state is left as it was after the last good frame rather than being driven by the concealed
 * audio; the predictor re-adapts within a few milliseconds of the next good frame.
 */
import type { AudioCodec, FrameDecoder } from './codec';
import { G722Decoder } from './g722-decoder';
import { G722Encoder } from './g722-encoder';
import { RepeatFadePlc } from './repeat-fade-plc';

class G722FrameDecoder implements FrameDecoder {
  private readonly decoder = new G722Decoder(64000);
  private readonly plc = new RepeatFadePlc();

  decode(payload: Uint8Array): Int16Array {
    const pcm = this.decoder.decode(payload);
    this.plc.good(pcm);
    return pcm;
  }

  conceal(samples: number): Int16Array {
    return this.plc.conceal(samples);
  }
}

export const G722: AudioCodec = {
  name: 'G722',
  payloadType: 9,
  rtpClockRate: 8000,
  sampleRate: 16000,
  channels: 1,
  // 64 kbit/s: 160 bytes per 20 ms; the 8000 Hz RTP clock (RFC 3551 §4.5.2) makes it 160 ticks, not 320.
  frameBytes: 160,
  frameTicks: 160,
  createEncoder: () => new G722Encoder(64000),
  createDecoder: () => new G722FrameDecoder(),
};
