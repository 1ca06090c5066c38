/**
 * Binds the RTP/RTCP socket pair of a session: an even RTP port and RTCP on the next odd one
 * (RFC 3550 §11), chosen from a configured range so the office firewall can be opened for exactly it.
 */
import dgram from 'node:dgram';

export interface PortRange {
  min: number;
  max: number;
}

export interface BoundPair {
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
  port: number;
}

function bind(socket: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

/** Tries even ports from a random start in the range; throws when every pair is taken. */
export async function bindPortPair(address: string, range: PortRange): Promise<BoundPair> {
  const min = range.min + (range.min % 2);
  const pairs = Math.floor((range.max - min + 1) / 2);
  if (pairs < 1) throw new Error(`RTP port range ${range.min}-${range.max} holds no even/odd port pair`);
  const type = address.includes(':') ? 'udp6' : 'udp4';
  const start = Math.floor(Math.random() * pairs);
  let lastError: Error | null = null;
  for (let i = 0; i < pairs; i++) {
    const port = min + ((start + i) % pairs) * 2;
    const rtp = dgram.createSocket(type);
    const rtcp = dgram.createSocket(type);
    try {
      await bind(rtp, port, address);
      await bind(rtcp, port + 1, address);
      return { rtp, rtcp, port };
    } catch (err) {
      lastError = err as Error;
      for (const s of [rtp, rtcp]) {
        try {
          s.close();
        } catch {
          // never bound: nothing to release
        }
      }
    }
  }
  throw new Error(`no free RTP port pair on ${address} in ${range.min}-${range.max} (last error: ${lastError?.message ?? 'none'})`);
}
