/** Free loopback ports for SIP test peers: free for both TCP and UDP, since SIP peers listen on both. */
import dgram from 'node:dgram';
import net from 'node:net';

async function tcpFree(address: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, address, () => {
      const p = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(p));
    });
  });
}

async function udpFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, address, () => socket.close(() => resolve(true)));
  });
}

/** A port on `address` that is free for TCP and UDP right now. */
export async function freeSipPort(address = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await tcpFree(address);
    if (await udpFree(address, port)) return port;
  }
  throw new Error(`no port free for both TCP and UDP on ${address}`);
}
