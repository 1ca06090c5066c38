/**
 * A webhook receiver on 127.0.0.1 for the alarm tests: a real HTTP server that keeps every POST (headers
 * and the raw body, as the signature covers it) and answers with the status the test sets. It can be
 * stopped and started again on the same port, as a receiver that goes down and comes back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}

export class WebhookReceiver {
  readonly got: Received[] = [];
  /** The status of the next answers. */
  status = 200;
  port = 0;
  private server: http.Server | null = null;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        if (this.status >= 200 && this.status < 300) this.got.push({ headers: req.headers, raw, body: JSON.parse(raw) as Record<string, unknown> });
        res.writeHead(this.status, { 'content-type': 'text/plain' });
        res.end(this.status < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Down: the port refuses connections until start() again. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The alarm deliveries received, as `rule state line`. */
  alarms(): string[] {
    return this.got.filter((g) => g.body.type === 'alarm').map((g) => `${String(g.body.rule)} ${String(g.body.state)} ${String(g.body.line)}`);
  }
}
