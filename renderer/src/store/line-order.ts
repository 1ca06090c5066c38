/** How the grid sorts and filters its cards. */
import type { LineView, StationInfo } from '../../../electron/station/api/types';
import { lineProblems, worstLevel } from './line-problems';

export const SORT_KEYS = ['id', 'state', 'problems', 'calls'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const SORT_LABELS: Record<SortKey, string> = { id: 'Line id', state: 'State', problems: 'Problems first', calls: 'Calls today' };

export interface LineFilter {
  /** Matched against id, serial, model, extension, WhatsApp account, remote number. */
  text: string;
  /** A registration state, or '' for all. */
  state: string;
  /** A hunting group, or '' for all. */
  group: string;
}

export const NO_FILTER: LineFilter = { text: '', state: '', group: '' };

// The order an operator reads states in: the ones that need attention first, idle last.
export const STATE_RANK: Record<string, number> = { failed: 0, 'no-device': 1, registering: 2, 'in-call': 3, registered: 4, disabled: 5 };

export function matchesFilter(line: LineView, f: LineFilter): boolean {
  if (f.state && line.registration.state !== f.state) return false;
  if (f.group && (line.sip?.group ?? '') !== f.group) return false;
  const text = f.text.trim().toLowerCase();
  if (!text) return true;
  const hay = [line.id, line.device?.serial, line.device?.props?.model, line.sip?.user, line.sip?.pbx, line.agent?.account, line.call?.number, line.call?.name]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return hay.includes(text);
}

export function orderLines(lines: LineView[], key: SortKey, info: Pick<StationInfo, 'pbxConfigured'> | null): LineView[] {
  const byId = (a: LineView, b: LineView) => a.id.localeCompare(b.id, undefined, { numeric: true });
  const rank = (l: LineView): number => {
    switch (key) {
      case 'state':
        return STATE_RANK[l.registration.state] ?? 9;
      case 'problems': {
        const w = worstLevel(lineProblems(l, info));
        return w === 'error' ? 0 : w === 'warn' ? 1 : 2;
      }
      case 'calls':
        return -(l.today?.attempts ?? 0);
      default:
        return 0;
    }
  };
  return [...lines].sort((a, b) => rank(a) - rank(b) || byId(a, b));
}
