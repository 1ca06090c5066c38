/**
 * The demo's commands: a simulated WhatsApp contact calls or writes to a line's phone. Refused outside
 * the demo, and, for a call, when the line could not ring its inbound extension (no PBX, no extension,
 * busy), so the operator reads why instead of seeing the call declined.
 */
import { ApiError, type CommandResults } from '../api/contract';
import type { Station } from '../station';

function demoAccount(station: Station, command: string, lineId: string): { account: string; demo: NonNullable<Station['demo']> } {
  const demo = station.demo;
  if (!demo) throw new ApiError(`${command}: only the demo has simulated WhatsApp contacts (npm run serve -- --demo); a real phone's calls come from WhatsApp itself`);
  const view = station.lines().find((l) => l.id === lineId);
  if (!view) throw new ApiError(`no line has the id "${lineId}"`);
  const account = view.agent?.account;
  if (!account || view.device?.state !== 'ready') throw new ApiError(`line ${lineId}: its phone is not ready (${view.device?.state ?? 'not connected'}), so its WhatsApp cannot ring`);
  return { account, demo };
}

export function demoIncomingCall(station: Station, p: { lineId: string; from: string }): CommandResults['demo.incomingCall'] {
  const { account, demo } = demoAccount(station, 'demo.incomingCall', p.lineId);
  const line = station.line(p.lineId);
  if (!line?.hasSip) throw new ApiError(`line ${p.lineId} has no SIP account yet, so the call would ring no extension: connect a PBX and give the line an account in Settings`);
  const extension = line.config.inboundExtension;
  if (!extension) throw new ApiError(`line ${p.lineId} has no inbound extension: set the extension WhatsApp calls ring in Settings (inboundExtension)`);
  const registration = station.lines().find((l) => l.id === p.lineId)!.registration;
  if (registration.state !== 'registered') throw new ApiError(`line ${p.lineId} is not registered on the PBX (${registration.state}${registration.reason ? `: ${registration.reason}` : ''}), so it would decline the call`);
  if (line.busy) throw new ApiError(`line ${p.lineId} is in a call: hang up first`);
  if (!demo.ringPhone(account, p.from)) throw new ApiError(`line ${p.lineId}: phone account ${account} is not one of the demo's virtual phones`);
  return { ringing: true, lineId: p.lineId, from: p.from, extension };
}

export function demoIncomingMessage(station: Station, p: { lineId: string; from: string; text: string }): CommandResults['demo.incomingMessage'] {
  const { account, demo } = demoAccount(station, 'demo.incomingMessage', p.lineId);
  if (!demo.messagePhone(account, p.from, p.text)) throw new ApiError(`line ${p.lineId}: phone account ${account} is not one of the demo's virtual phones`);
  return { sent: true, lineId: p.lineId, from: p.from };
}
