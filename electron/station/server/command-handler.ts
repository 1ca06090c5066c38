/**
 * Carries out the contract's commands on the station. Every command is validated first; a refused one
 * changes nothing and says why.
 */
import type { Station } from '../station';
import type { Bucket } from '../calllog/call-stats';
import { demoIncomingCall, demoIncomingMessage } from './demo-commands';
import { ApiError, isCommand, parseParams, type CallFilterParams, type CommandResults } from '../api/contract';

export type CommandHandler = (command: string, params: unknown) => Promise<unknown>;

function unavailable(command: string): never {
  throw new ApiError(`${command}: not available yet`);
}

/**
 * Runs an action whose refusals (a bad setting, a busy line) are the operator's to read: they are
 * reported as the command's error, as they are, not as a failure of the station.
 */
async function refusal<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    throw err instanceof ApiError ? err : new ApiError((err as Error).message);
  }
}

export function createCommandHandler(station: Station): CommandHandler {
  const line = (id: string) => {
    const l = station.line(id);
    if (!l) throw new ApiError(`no line has the id "${id}"`);
    return l;
  };
  const testDial = (command: string) => station.testDial ?? unavailable(command);
  const handlers: { [C in keyof CommandResults]: (params: never) => CommandResults[C] | Promise<CommandResults[C]> } = {
    'lines.list': () => station.lines(),
    'calls.query': (p: { from?: number; to?: number; lineId?: string; number?: string; limit: number; cursor?: string }) => {
      if (!station.callLog) throw new ApiError('the call log is not open yet');
      return station.callLog.query({ from: p.from, to: p.to, lineId: p.lineId, number: p.number }, { limit: p.limit, cursor: p.cursor });
    },
    'messages.list': (p: { lineId?: string; limit: number }) => station.messages?.list(p) ?? [],
    'line.hangUp': (p: { lineId: string }) => {
      const l = line(p.lineId);
      if (!l.busy) throw new ApiError(`line ${p.lineId} has no call to hang up`);
      return { hungUp: l.call!.hangUp() };
    },
    'line.sendDtmf': (p: { lineId: string; digits: string }) => {
      const call = line(p.lineId).call;
      if (!call || call.state !== 'connected') throw new ApiError(`line ${p.lineId} has no connected call`);
      return { sent: call.sendDtmf(p.digits) };
    },
    'line.restartAgent': async (p: { lineId: string }) => {
      const l = line(p.lineId);
      const sup = station.devices.get(l.config.serial);
      if (!sup) throw new ApiError(`phone ${l.config.serial} of line ${p.lineId} is not connected`);
      await sup.restartAgent();
      return { restarting: true };
    },
    'calls.stats': (p: CallFilterParams & { bucket: Bucket }) => {
      if (!station.callLog) throw new ApiError('the call log is not open yet');
      return station.callLog.stats(p, p.bucket);
    },
    'station.info': () => station.info(),
    'events.list': (p: { limit: number }) => station.events.list(p.limit),
    'alarms.list': () => (station.alarms ?? unavailable('alarms.list')).view(),
    'alarms.test': () => (station.alarms ?? unavailable('alarms.test')).testAlarm(),
    'line.setEnabled': async (p: { lineId: string; enabled: boolean }) => {
      await refusal(() => line(p.lineId).setEnabled(p.enabled));
      return { enabled: p.enabled };
    },
    'line.liftPause': (p: { lineId: string }) => {
      line(p.lineId);
      if (!station.liftPause(p.lineId)) throw new ApiError(`line ${p.lineId} is not paused`);
      return { lifted: true };
    },
    'line.reRegister': async (p: { lineId: string }) => {
      await refusal(() => line(p.lineId).reRegister());
      return { registering: true };
    },
    'line.echoTest': (p: { lineId: string; number?: string }) => testDial('line.echoTest').echoTest(p.lineId, p.number),
    'testDial.start': (p: { lineId: string; number: string }) => testDial('testDial.start').start(p.lineId, p.number),
    'testDial.mute': (p: { muted: boolean }) => testDial('testDial.mute').mute(p.muted),
    'testDial.hangUp': () => testDial('testDial.hangUp').hangUp(),
    'testDial.current': () => station.testDial?.view() ?? null,
    'audio.devices': () => testDial('audio.devices').devices(),
    'settings.get': () => station.settings(),
    'settings.save': async (p: { config: unknown }) => refusal(() => station.saveSettings(p.config)),
    'settings.testRegistration': async (p: { pbx: unknown; line?: unknown; timeoutS: number }) => refusal(() => station.registrationTest.run(p)),
    'demo.incomingCall': (p: { lineId: string; from: string }) => demoIncomingCall(station, p),
    'demo.incomingMessage': (p: { lineId: string; from: string; text: string }) => demoIncomingMessage(station, p),
  };
  return async (command, params) => {
    if (!isCommand(command)) throw new ApiError(`unknown command "${command}"`);
    const parsed = parseParams(command, params);
    return (handlers[command] as (p: unknown) => unknown)(parsed);
  };
}
