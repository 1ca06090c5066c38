/**
 * A WebSocket client of the station's command API for tests, speaking the frames of contract.ts: keeps
 * every pushed grid snapshot and the other events, and waits for the reply to each command.
 */
import WebSocket from 'ws';
import type { CommandName, CommandParams, CommandReply, CommandResults, StationEvent } from '../../electron/station/api/contract';
import type { LineView } from '../../electron/station/api/types';
import { waitFor } from './wait';

export class WsTestClient {
  /** The grid snapshots pushed so far (other events are kept in `others`). */
  readonly events: Extract<StationEvent, { event: 'lines' }>[] = [];
  readonly others: StationEvent[] = [];
  private replies = new Map<number, CommandReply>();
  private next = 1;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as CommandReply | StationEvent;
      if ('event' in frame) {
        if (frame.event === 'lines') this.events.push(frame);
        else this.others.push(frame);
      } else if (typeof frame.id === 'number') this.replies.set(frame.id, frame);
    });
  }
  static open(url: string, headers: Record<string, string> = {}): Promise<WsTestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new WsTestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }
  async call(command: string, params?: unknown): Promise<CommandReply> {
    const id = this.next++;
    this.ws.send(JSON.stringify({ id, command, params }));
    return (await waitFor(`reply to ${command}`, () => this.replies.get(id), 10_000)).value;
  }

  /** Runs a command that must succeed; its error otherwise. */
  async result<C extends CommandName>(command: C, params: CommandParams<C>): Promise<CommandResults[C]> {
    const reply = await this.call(command, params);
    if (!reply.ok) throw new Error(`${command}: ${reply.error}`);
    return reply.result as CommandResults[C];
  }

  /** The latest grid snapshot pushed. */
  lines(): LineView[] {
    return this.events.at(-1)?.data ?? [];
  }
}
