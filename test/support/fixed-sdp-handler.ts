/**
 * TEST DOUBLE: a sip.js SessionDescriptionHandler that answers every offer with one fixed SDP and moves
 * no media. For signalling tests only (the real RTP handler lives in electron/station/media).
 */
import type { BodyAndContentType, SessionDescriptionHandler, SessionDescriptionHandlerFactory } from 'sip.js';

export const FIXED_TEST_SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=fixed-sdp-test-double',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  'a=sendrecv',
  '',
].join('\r\n');

export class FixedSdpTestDouble implements SessionDescriptionHandler {
  remote: string | undefined;
  closed = false;

  close(): void {
    this.closed = true;
  }

  async getDescription(): Promise<BodyAndContentType> {
    return { body: FIXED_TEST_SDP, contentType: 'application/sdp' };
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  async setDescription(sdp: string): Promise<void> {
    this.remote = sdp;
  }

  sendDtmf(): boolean {
    return false;
  }
}

export const fixedSdpTestDoubleFactory: SessionDescriptionHandlerFactory = () => new FixedSdpTestDouble();
