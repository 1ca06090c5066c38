/**
 * A station for view tests: it implements the real client interface (StationClient + CallExporter),
 * records every command, and answers with what the test sets. Events are pushed with `emit`.
 */
import type { CallExporter, CommandName, CommandParams, CommandResults, ExportProgress, StationClient, StationEventData, StationEventName } from '../../../electron/station/api/contract';
import type { CallView, LineView, StationInfo } from '../../../electron/station/api/types';

type Handler<C extends CommandName> = (params: CommandParams<C>) => CommandResults[C] | Promise<CommandResults[C]>;

export class FakeStation implements StationClient, CallExporter {
  readonly sent: { command: CommandName; params: unknown }[] = [];
  private handlers: { [C in CommandName]?: Handler<C> } = {};
  private listeners = new Map<string, Set<(data: unknown) => void>>();

  /** Sets the answer to a command; throwing in the handler makes it a refusal. */
  handle<C extends CommandName>(command: C, handler: Handler<C>): this {
    (this.handlers as Record<string, unknown>)[command] = handler;
    return this;
  }

  async call<C extends CommandName>(command: C, params: CommandParams<C>): Promise<CommandResults[C]> {
    this.sent.push({ command, params });
    const h = this.handlers[command] as Handler<C> | undefined;
    if (!h) throw new Error(`${command}: not available yet`);
    return h(params);
  }

  on<E extends StationEventName>(event: E, listener: (data: StationEventData<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (data: unknown) => void);
    return () => void set.delete(listener as (data: unknown) => void);
  }

  emit<E extends StationEventName>(event: E, data: StationEventData<E>): void {
    for (const l of this.listeners.get(event) ?? []) l(data);
  }

  async exportCalls(): Promise<ExportProgress & { savedTo: string | null }> {
    return { rows: 0, bytes: 0, savedTo: null };
  }

  sentOf(command: CommandName): unknown[] {
    return this.sent.filter((s) => s.command === command).map((s) => s.params);
  }
}

export const INFO: StationInfo = {
  version: '0.1.0',
  demo: false,
  demoContacts: [],
  pbxConfigured: true,
  audio: { available: true, reason: null },
  echoNumber: '15550100',
};

/** A registered, idle line on a ready phone, with `patch` laid over it. */
export function makeLine(id: string, patch: Partial<LineView> = {}): LineView {
  const serial = `SER${id.toUpperCase()}`;
  return {
    id,
    device: {
      serial,
      state: 'ready',
      detail: '',
      since: '2026-01-01T00:00:00.000Z',
      lastError: null,
      props: { serialNo: serial, manufacturer: 'Samsung', model: 'SM-A525F', androidVersion: '13', sdk: 33, virtual: false },
      pingRttMs: 3,
    },
    agent: {
      software: 'agent 1.0',
      account: '628111000',
      whatsappVersion: '2.24',
      androidVersion: '13',
      sdk: 33,
      manufacturer: 'Samsung',
      model: 'SM-A525F',
      batteryLevel: 80,
      charging: true,
      temperatureDeciC: 310,
      networkType: 'wifi',
      signalLevel: 3,
      audioRoute: 'audio-policy',
      accountState: 'registered',
    },
    registration: { state: 'registered', reason: '', code: null },
    call: null,
    lastCall: null,
    sip: { user: `20${id.replace(/\D/g, '') || '0'}`, pbx: 'office', group: null, enabled: true },
    today: {
      attempts: 0,
      answered: 0,
      filtered: 0,
      asr: null,
      acdSeconds: null,
      uniqueNumbers: 0,
      caps: { uniquePerHour: 20, uniquePerDay: 100 },
      uniqueLastHour: 0,
    },
    paused: null,
    account: { state: 'registered', since: '2026-01-01T00:00:00.000Z' },
    guard: null,
    ...patch,
  };
}

/** A connected PBX -> WhatsApp call on wa1, answered `answeredMsAgo` ago, with `patch` laid over it. */
export function connectedCall(answeredMsAgo: number, patch: Partial<CallView> = {}): CallView {
  const now = Date.now();
  return {
    id: 'c1',
    direction: 'sip-to-whatsapp',
    state: 'connected',
    number: '628123456789',
    name: 'Budi',
    codec: 'G722',
    startedAt: new Date(now - answeredMsAgo - 5000).toISOString(),
    answeredAt: new Date(now - answeredMsAgo).toISOString(),
    endedAt: null,
    outcome: null,
    sipCode: null,
    hangupSide: null,
    endReason: null,
    endCause: null,
    dtmf: '',
    callerId: '101',
    destinationSource: 'caller-id',
    rule: null,
    sipLineId: 'wa1',
    phoneLineId: 'wa1',
    ringingAt: null,
    stats: { packetsSent: 500, packetsReceived: 490, lost: 10, jitterMs: 2.5, late: 0, discarded: 0, levelInDbfs: -20, levelOutDbfs: -35.5, foreignPackets: 0 },
    ...patch,
  };
}

/** Answers for the commands the console sends when it connects. */
export function withStartup(fake: FakeStation, lines: LineView[], info: StationInfo = INFO): FakeStation {
  return fake
    .handle('station.info', () => info)
    .handle('events.list', () => [])
    .handle('lines.list', () => lines)
    .handle('testDial.current', () => null);
}
