/**
 * The console's state: what the station pushed (lines, info, test dial, events) and what the operator
 * is doing (view, dial pad, toasts). Lines are kept by id with structural sharing, so a snapshot that
 * changes one line re-renders one card. A snapshot that changes only live figures (levels, jitter,
 * packet counts, ping) is drawn at most once per `liveEveryMs`: the station may push them ten times a
 * second on a busy farm, which an eye reading a meter does not need and 64 lines would spend the
 * page's time on; any other change is drawn at once, with the latest figures.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LineView, StationInfo, StationLogEntry, TestDialView } from '../../../electron/station/api/types';
import type { ConnectionStatus } from '../api/ws-client';
import { onlyLiveFiguresChanged } from './live-figures';
import { share } from './share';

export const VIEWS = ['lines', 'calls', 'settings', 'events'] as const;
export type View = (typeof VIEWS)[number];

export interface Toast {
  id: number;
  level: 'error' | 'info';
  text: string;
}

/** Entries the events panel keeps in memory; older ones are in the station's log. */
export const MAX_EVENTS = 1000;

export interface StationState {
  connection: ConnectionStatus;
  info: StationInfo | null;
  /** Line ids in the station's order. */
  lineIds: string[];
  lines: Record<string, LineView>;
  testDial: TestDialView | null;
  /** Newest first. */
  events: StationLogEntry[];
  toasts: Toast[];
  view: View;
  /** The settings page opens on the "Connect your PBX" step when the grid's banner leads there. */
  settingsFocus: 'pbx' | null;
  dialPad: { open: boolean; lineId: string | null };
  /** The line an events-panel entry led to: the lines view shows it (scrolled to, its detail open). */
  focusLine: string | null;

  applyLines(views: LineView[]): void;
  setInfo(info: StationInfo): void;
  setConnection(status: ConnectionStatus): void;
  setTestDial(view: TestDialView | null): void;
  setEvents(entries: StationLogEntry[]): void;
  addEvent(entry: StationLogEntry): void;
  toast(level: Toast['level'], text: string): void;
  dismissToast(id: number): void;
  navigate(view: View, focus?: 'pbx'): void;
  openDialPad(lineId: string | null): void;
  closeDialPad(): void;
  showLine(lineId: string | null): void;
}

export type StationStore = StoreApi<StationState>;

export interface StationStoreOptions {
  /** The shortest time between two draws of live figures alone (default 200 ms: five a second). */
  liveEveryMs?: number;
  /** Milliseconds of a monotonic clock (tests step it). */
  now?: () => number;
}

/** Live figures are drawn five times a second at most. */
export const LIVE_EVERY_MS = 200;

let toastId = 0;

export function createStationStore(options: StationStoreOptions = {}): StationStore {
  const liveEveryMs = options.liveEveryMs ?? LIVE_EVERY_MS;
  const now = options.now ?? (() => performance.now());
  /** When live figures alone were last drawn, and the snapshot waiting to be (the latest one). */
  let liveDrawnAt = -Infinity;
  let waiting: { views: LineView[]; timer: ReturnType<typeof setTimeout> } | null = null;
  return createStore<StationState>()((set, get) => ({
    connection: { state: 'connecting', detail: null },
    info: null,
    lineIds: [],
    lines: {},
    testDial: null,
    events: [],
    toasts: [],
    view: 'lines',
    settingsFocus: null,
    dialPad: { open: false, lineId: null },
    focusLine: null,

    applyLines(views) {
      const prev = get();
      const lines: Record<string, LineView> = {};
      for (const v of views) lines[v.id] = share(prev.lines[v.id], v);
      const ids = views.map((v) => v.id);
      const sameIds = ids.length === prev.lineIds.length && ids.every((id, i) => id === prev.lineIds[i]);
      const sameLines = sameIds && ids.every((id) => lines[id] === prev.lines[id]);
      if (sameLines) return;
      const liveOnly = sameIds && ids.every((id) => onlyLiveFiguresChanged(prev.lines[id], lines[id]!));
      if (liveOnly && now() - liveDrawnAt < liveEveryMs) {
        // Drawn when the interval is up, as the latest snapshot by then says.
        if (waiting) waiting.views = views;
        else {
          const timer = setTimeout(() => {
            const late = waiting!.views;
            waiting = null;
            liveDrawnAt = -Infinity;
            get().applyLines(late);
          }, liveDrawnAt + liveEveryMs - now());
          waiting = { views, timer };
        }
        return;
      }
      // This snapshot carries the latest figures too: a waiting one is dropped.
      if (waiting) clearTimeout(waiting.timer);
      waiting = null;
      liveDrawnAt = now();
      set({ lines, lineIds: sameIds ? prev.lineIds : ids });
    },
    setInfo: (info) => set({ info: share(get().info, info) }),
    setConnection: (connection) => set({ connection }),
    setTestDial: (testDial) => set({ testDial: share(get().testDial, testDial) }),
    setEvents: (entries) => set({ events: entries.slice(0, MAX_EVENTS) }),
    addEvent(entry) {
      const events = get().events;
      if (events.some((e) => e.id === entry.id)) return;
      set({ events: [entry, ...events].slice(0, MAX_EVENTS) });
    },
    toast(level, text) {
      const id = ++toastId;
      set({ toasts: [...get().toasts, { id, level, text }].slice(-5) });
    },
    dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
    navigate: (view, focus) => set({ view, settingsFocus: focus ?? null }),
    openDialPad: (lineId) => set({ dialPad: { open: true, lineId } }),
    closeDialPad: () => set({ dialPad: { open: false, lineId: get().dialPad.lineId } }),
    showLine: (lineId) => set(lineId ? { view: 'lines', focusLine: lineId } : { focusLine: null }),
  }));
}
