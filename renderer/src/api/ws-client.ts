/**
 * The station's contract over WebSocket (serve mode): request ids matched to replies, pushed events
 * fanned out to listeners, and a connection that comes back by itself with backoff. The wire format
 * is the one documented at the top of contract.ts.
 *
 *   connecting --open--> connected --close/error--> disconnected --backoff timer--> connecting
 *
 * Commands issued while not connected wait for the next connection (up to their timeout), so a
 * console that starts before the station, or survives a station restart, needs no special care.
 * Commands already sent when the connection drops are rejected at once: whether the station carried
 * them out is unknown, and the operator must be told rather than left waiting.
 */
import type { CommandName, CommandParams, CommandReply, CommandResults, StationClient, StationEvent, StationEventData, StationEventName } from '../../../electron/station/api/contract';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Why the station is not reachable, in words for the operator; null when connected. */
  detail: string | null;
}

/** A client that knows whether it reaches the station (the IPC client always does). */
export interface ConnectionAware {
  onConnection(listener: (status: ConnectionStatus) => void): () => void;
}

/** The subset of the browser WebSocket this client uses; `ws` in Node tests has it too. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WsClientOptions {
  url: string;
  /** The WebSocket constructor; the browser's by default. */
  WebSocketImpl?: new (url: string) => WebSocketLike;
  /** Reconnect delays grow from min to max (doubling). */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** A command without a reply after this long is rejected. */
  requestTimeoutMs?: number;
}

export interface WsStationClient extends StationClient, ConnectionAware {
  readonly status: ConnectionStatus;
  close(): void;
}

const OPEN = 1;

interface Pending {
  command: string;
  frame: string;
  sent: boolean;
  resolve(result: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The URL of the station's WebSocket for a page served by the station: same origin, same token. */
export function stationWsUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function createWsClient(opts: WsClientOptions): WsStationClient {
  const Impl = opts.WebSocketImpl ?? (globalThis.WebSocket as unknown as new (url: string) => WebSocketLike);
  const backoffMin = opts.backoffMinMs ?? 500;
  const backoffMax = opts.backoffMaxMs ?? 10_000;
  const requestTimeout = opts.requestTimeoutMs ?? 20_000;

  let socket: WebSocketLike | null = null;
  let status: ConnectionStatus = { state: 'connecting', detail: null };
  let retryDelay = backoffMin;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const eventListeners = new Map<string, Set<(data: unknown) => void>>();
  const connectionListeners = new Set<(s: ConnectionStatus) => void>();

  const setStatus = (next: ConnectionStatus): void => {
    status = next;
    for (const l of connectionListeners) l(status);
  };

  const flush = (): void => {
    for (const p of pending.values()) {
      if (!p.sent && socket?.readyState === OPEN) {
        socket.send(p.frame);
        p.sent = true;
      }
    }
  };

  const onFrame = (raw: unknown): void => {
    let frame: CommandReply | StationEvent;
    try {
      frame = JSON.parse(String(raw)) as CommandReply | StationEvent;
    } catch {
      return; // The station only sends JSON; a torn frame is not worth a crash.
    }
    if ('event' in frame) {
      for (const l of eventListeners.get(frame.event) ?? []) l(frame.data);
      return;
    }
    const p = typeof frame.id === 'number' ? pending.get(frame.id) : undefined;
    if (!p) return;
    pending.delete(frame.id as number);
    clearTimeout(p.timer);
    if (frame.ok) p.resolve(frame.result);
    else p.reject(new Error(frame.error));
  };

  const connect = (): void => {
    retryTimer = null;
    if (closed) return;
    setStatus({ state: 'connecting', detail: status.detail });
    let ws: WebSocketLike;
    try {
      ws = new Impl(opts.url);
    } catch (err) {
      return scheduleRetry(`cannot open ${opts.url}: ${(err as Error).message}`);
    }
    socket = ws;
    ws.onopen = () => {
      retryDelay = backoffMin;
      setStatus({ state: 'connected', detail: null });
      flush();
    };
    ws.onmessage = (ev) => onFrame(ev.data);
    ws.onerror = () => undefined; // close follows and carries the reason
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, p] of pending) {
        if (!p.sent) continue;
        pending.delete(id);
        clearTimeout(p.timer);
        p.reject(new Error(`${p.command}: disconnected from the station before it answered`));
      }
      const why = ev.code === 1006 || !ev.reason ? 'the station does not answer' : ev.reason;
      scheduleRetry(`disconnected from the station (${why})`);
    };
  };

  const scheduleRetry = (detail: string): void => {
    if (closed) return;
    setStatus({ state: 'disconnected', detail: `${detail}; retrying in ${Math.round(retryDelay / 100) / 10} s` });
    retryTimer = setTimeout(connect, retryDelay);
    retryDelay = Math.min(backoffMax, retryDelay * 2);
  };

  connect();

  return {
    get status() {
      return status;
    },
    call<C extends CommandName>(command: C, params: CommandParams<C>): Promise<CommandResults[C]> {
      if (closed) return Promise.reject(new Error(`${command}: the console closed its connection`));
      const id = nextId++;
      return new Promise<CommandResults[C]>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${command}: no answer from the station within ${requestTimeout >= 1000 ? `${Math.round(requestTimeout / 1000)} s` : `${requestTimeout} ms`}`));
        }, requestTimeout);
        pending.set(id, {
          command,
          frame: JSON.stringify({ id, command, params }),
          sent: false,
          resolve: resolve as (r: unknown) => void,
          reject,
          timer,
        });
        flush();
      });
    },
    on<E extends StationEventName>(event: E, listener: (data: StationEventData<E>) => void): () => void {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      const l = listener as (data: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(status);
      return () => void connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${p.command}: the console closed its connection`));
      }
      pending.clear();
      socket?.close();
      socket = null;
    },
  };
}
