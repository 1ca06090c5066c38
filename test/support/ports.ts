import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1 (UDP peers use it too; collisions are unlikely). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
