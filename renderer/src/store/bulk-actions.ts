/**
 * Bulk actions of the line table: one command of the contract per selected line, a few at a time, and
 * a result per line in words (ok, the station's refusal, or the echo test's figures).
 */
import type { CommandName, CommandParams, CommandResults } from '../../../electron/station/api/contract';
import type { EchoTestResult } from '../../../electron/station/api/types';

export const BULK_ACTIONS = ['reRegister', 'switchOff', 'switchOn', 'restartAgent', 'echoTest'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const BULK_LABELS: Record<BulkAction, string> = {
  reRegister: 'Re-register',
  switchOff: 'Switch off',
  switchOn: 'Switch on',
  restartAgent: 'Restart agent',
  echoTest: 'Echo test',
};

/**
 * Lines handled at once. An echo test holds a call on its phone and the station's media for seconds,
 * so at most two run together (one per line always: a line is in one row); the other commands are
 * quick and only pace the station's work.
 */
export const BULK_CONCURRENCY: Record<BulkAction, number> = { reRegister: 4, switchOff: 4, switchOn: 4, restartAgent: 4, echoTest: 2 };

export interface RowResult {
  status: 'running' | 'ok' | 'error';
  text: string;
}

type Call = <C extends CommandName>(command: C, params: CommandParams<C>) => Promise<CommandResults[C]>;

export function echoFigures(r: EchoTestResult): string {
  const rt = r.roundTripMs === null ? '—' : `${Math.round(r.roundTripMs)} ms`;
  const corr = r.correlation === null ? '—' : r.correlation.toFixed(2);
  const level = r.levelDbfs === null ? '—' : `${r.levelDbfs.toFixed(1)} dBFS`;
  return `round trip ${rt} · correlation ${corr} · level ${level}`;
}

async function runOne(call: Call, action: BulkAction, lineId: string): Promise<RowResult> {
  switch (action) {
    case 'reRegister':
      await call('line.reRegister', { lineId });
      return { status: 'ok', text: 'registering again' };
    case 'switchOff':
    case 'switchOn': {
      const r = await call('line.setEnabled', { lineId, enabled: action === 'switchOn' });
      return { status: 'ok', text: r.enabled ? 'switched on' : 'switched off' };
    }
    case 'restartAgent': {
      const r = await call('line.restartAgent', { lineId });
      return { status: 'ok', text: r.restarting ? 'agent restarting' : 'agent not running: nothing to restart' };
    }
    case 'echoTest': {
      const r = await call('line.echoTest', { lineId });
      return { status: r.ok ? 'ok' : 'error', text: `echo ${r.ok ? 'passed' : 'failed'}: ${echoFigures(r)}${r.ok ? '' : ` (${r.message})`}` };
    }
  }
}

/**
 * Runs `action` on every line, at most BULK_CONCURRENCY[action] at once, reporting each line as it
 * starts and ends. A refusal is that line's result; the other lines go on.
 */
export async function runBulk(call: Call, action: BulkAction, lineIds: readonly string[], report: (lineId: string, result: RowResult) => void): Promise<void> {
  const queue = [...lineIds];
  for (const id of queue) report(id, { status: 'running', text: 'waiting…' });
  const worker = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      report(id, { status: 'running', text: `${BULK_LABELS[action]}…` });
      try {
        report(id, await runOne(call, action, id));
      } catch (err) {
        report(id, { status: 'error', text: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY[action], queue.length) }, worker));
}
