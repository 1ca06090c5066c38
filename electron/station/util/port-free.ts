/**
 * Whether a TCP port can be listened on, asked by listening on it for a moment: what serve checks
 * before it starts anything, and how the demo finds ports for its phones.
 */
import net from 'node:net';

/** Resolves with null when `host:port` can be bound, else with the reason (EADDRINUSE, EACCES...). */
export function portProblem(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}
