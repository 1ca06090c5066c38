/**
 * A UDP relay between one client and a server that can drop chosen client datagrams: the network fault
 * for retransmission tests. The client sends to `port`; the relay forwards from its own socket to the
 * server and relays answers back to the last client seen.
 */
import dgram from 'node:dgram';

export class LossyUdpProxy {
  readonly dropped: string[] = [];
  readonly forwarded: string[] = [];
  private client: { address: string; port: number } | undefined;
  private seen = 0;

  private constructor(
    private readonly front: dgram.Socket,
    private readonly back: dgram.Socket,
    /** Drops the n-th (0-based) client datagram when this returns true. */
    private readonly drop: (index: number, text: string) => boolean,
  ) {}

  static async start(server: { address: string; port: number }, drop: (index: number, text: string) => boolean): Promise<LossyUdpProxy> {
    const front = dgram.createSocket('udp4');
    const back = dgram.createSocket('udp4');
    await Promise.all([front, back].map((s) => new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()))));
    const proxy = new LossyUdpProxy(front, back, drop);
    front.on('message', (buf, rinfo) => {
      proxy.client = { address: rinfo.address, port: rinfo.port };
      const text = buf.toString();
      if (proxy.drop(proxy.seen++, text)) {
        proxy.dropped.push(text.split('\r\n')[0]!);
        return;
      }
      proxy.forwarded.push(text.split('\r\n')[0]!);
      back.send(buf, server.port, server.address);
    });
    back.on('message', (buf) => {
      if (proxy.client) front.send(buf, proxy.client.port, proxy.client.address);
    });
    return proxy;
  }

  get port(): number {
    return this.front.address().port;
  }

  close(): void {
    this.front.close();
    this.back.close();
  }
}
