/**
 * A simulated WhatsApp scenario: who is reachable and how they behave when called, what numbers outside
 * the list do, and scripted messages and calls that arrive at set times. Scenarios are JSON files for
 * demos and operator training, so the loader checks every field and names the path of a bad one.
 */
import { readFileSync } from 'node:fs';
import { ACCOUNT_STATES, type AccountState } from '../../protocol/messages';

export const CONTACT_BEHAVIOURS = ['echo', 'tone', 'wav', 'reject', 'offline', 'not-on-whatsapp', 'busy'] as const;
export type ContactBehaviour = (typeof CONTACT_BEHAVIOURS)[number];

export interface ScenarioContact {
  /** International digits without "+". */
  number: string;
  name?: string;
  behaviour: ContactBehaviour;
  /** echo / tone / wav: how long the contact lets it ring before answering (default 1000). */
  answerAfterMs?: number;
  /** reject: how long it rings before the contact declines (default 3000). */
  rejectAfterMs?: number;
  /** tone: frequency (default 440). */
  frequencyHz?: number;
  /** wav: a 16 kHz mono 16-bit WAV file, looped. */
  file?: string;
  /** The contact hangs up this long after the call connected. */
  hangUpAfterMs?: number;
}

export interface ScriptedMessage {
  /** Milliseconds after `start()`. */
  atMs: number;
  /** The virtual phone's account that receives it. */
  to: string;
  from: string;
  name?: string;
  text: string;
}

export interface ScriptedCall {
  atMs: number;
  /** The caller: a contact (its behaviour decides the audio once answered) or any number (echo). */
  from: string;
  /** The virtual phone's account that rings. */
  to: string;
}

/** A virtual phone's WhatsApp account that does not start healthy (a demo of a banned line, say). */
export interface ScenarioAccount {
  /** The virtual phone's account number. */
  number: string;
  state: AccountState;
}

export interface Scenario {
  contacts?: ScenarioContact[];
  /** Virtual phones' accounts and the state each starts in (default: every account registered). */
  accounts?: ScenarioAccount[];
  /** What a number that is neither a contact nor a virtual phone does (default 'not-on-whatsapp'). */
  unknownNumbers?: ContactBehaviour;
  /** How long an offline callee stays at "calling" before the call fails (default 20000). */
  offlineTimeoutMs?: number;
  messages?: ScriptedMessage[];
  calls?: ScriptedCall[];
}

export const DEFAULT_OFFLINE_TIMEOUT_MS = 20_000;
export const DEFAULT_ANSWER_AFTER_MS = 1000;
export const DEFAULT_REJECT_AFTER_MS = 3000;
export const DEFAULT_TONE_HZ = 440;

/** Contacts for demos and tests: one per behaviour, on reserved-for-fiction 555-01xx numbers. */
export function defaultScenario(): Scenario {
  return {
    contacts: [
      { number: '15550100001', name: 'Echo', behaviour: 'echo', answerAfterMs: 1000 },
      { number: '15550100002', name: 'Tone', behaviour: 'tone', frequencyHz: 440 },
      { number: '15550100003', name: 'Rejecter', behaviour: 'reject', rejectAfterMs: 3000 },
      { number: '15550100004', name: 'Offline', behaviour: 'offline' },
      { number: '15550100005', name: 'Not on WhatsApp', behaviour: 'not-on-whatsapp' },
      { number: '15550100006', name: 'Busy', behaviour: 'busy' },
    ],
    unknownNumbers: 'not-on-whatsapp',
    offlineTimeoutMs: DEFAULT_OFFLINE_TIMEOUT_MS,
  };
}

export class ScenarioError extends Error {
  constructor(source: string, path: string, why: string) {
    super(`scenario ${source}: ${path} ${why}`);
    this.name = 'ScenarioError';
  }
}

type Obj = Record<string, unknown>;

/** Field checkers bound to one source, so each error names the file and the field path. */
function checkers(source: string) {
  const fail = (path: string, why: string) => new ScenarioError(source, path, why);
  const obj = (v: unknown, path: string): Obj => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw fail(path, 'must be an object');
    return v as Obj;
  };
  const onlyKeys = (o: Obj, path: string, keys: readonly string[]) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) throw fail(`${path}.${k}`, `is not a known field (${keys.join(', ')})`);
  };
  const str = (o: Obj, key: string, path: string, optional = false): string | undefined => {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string') throw fail(`${path}.${key}`, 'must be a string');
    return v;
  };
  const number = (o: Obj, key: string, path: string): string => {
    const v = str(o, key, path) as string;
    if (!/^\d{3,15}$/.test(v)) throw fail(`${path}.${key}`, `is "${v}", expected 3-15 digits without "+"`);
    return v;
  };
  const ms = (o: Obj, key: string, path: string, optional = true): number | undefined => {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw fail(`${path}.${key}`, 'must be a number >= 0');
    return v;
  };
  const behaviour = (o: Obj, key: string, path: string, optional = false): ContactBehaviour | undefined => {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (!CONTACT_BEHAVIOURS.includes(v as ContactBehaviour)) {
      throw fail(`${path}.${key}`, `is ${JSON.stringify(v)}, expected one of ${CONTACT_BEHAVIOURS.join(', ')}`);
    }
    return v as ContactBehaviour;
  };
  const list = (o: Obj, key: string, path: string): unknown[] | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw fail(`${path}.${key}`, 'must be an array');
    return v;
  };
  return { fail, obj, onlyKeys, str, number, ms, behaviour, list };
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Validates a parsed JSON value as a Scenario; `source` names it in errors (a file path). */
export function parseScenario(json: unknown, source = '(inline)'): Scenario {
  const c = checkers(source);
  const root = c.obj(json, '(root)');
  c.onlyKeys(root, '(root)', ['contacts', 'accounts', 'unknownNumbers', 'offlineTimeoutMs', 'messages', 'calls']);

  const contacts = c.list(root, 'contacts', '(root)')?.map((raw, i): ScenarioContact => {
    const path = `contacts[${i}]`;
    const o = c.obj(raw, path);
    c.onlyKeys(o, path, ['number', 'name', 'behaviour', 'answerAfterMs', 'rejectAfterMs', 'frequencyHz', 'file', 'hangUpAfterMs']);
    const contact = dropUndefined<ScenarioContact>({
      number: c.number(o, 'number', path),
      name: c.str(o, 'name', path, true),
      behaviour: c.behaviour(o, 'behaviour', path) as ContactBehaviour,
      answerAfterMs: c.ms(o, 'answerAfterMs', path),
      rejectAfterMs: c.ms(o, 'rejectAfterMs', path),
      frequencyHz: c.ms(o, 'frequencyHz', path),
      file: c.str(o, 'file', path, true),
      hangUpAfterMs: c.ms(o, 'hangUpAfterMs', path),
    });
    if (contact.behaviour === 'wav' && !contact.file) throw c.fail(`${path}.file`, "is required for behaviour 'wav'");
    if (contact.frequencyHz !== undefined && (contact.frequencyHz <= 0 || contact.frequencyHz >= 8000)) {
      throw c.fail(`${path}.frequencyHz`, 'must be between 0 and 8000 (the Nyquist limit at 16 kHz)');
    }
    return contact;
  });
  const seen = new Set<string>();
  contacts?.forEach((contact, i) => {
    if (seen.has(contact.number)) throw c.fail(`contacts[${i}].number`, `repeats ${contact.number}`);
    seen.add(contact.number);
  });

  const accounts = c.list(root, 'accounts', '(root)')?.map((raw, i): ScenarioAccount => {
    const path = `accounts[${i}]`;
    const o = c.obj(raw, path);
    c.onlyKeys(o, path, ['number', 'state']);
    const state = o.state;
    if (!ACCOUNT_STATES.includes(state as AccountState)) {
      throw c.fail(`${path}.state`, `is ${JSON.stringify(state)}, expected one of ${ACCOUNT_STATES.join(', ')}`);
    }
    return { number: c.number(o, 'number', path), state: state as AccountState };
  });

  const messages = c.list(root, 'messages', '(root)')?.map((raw, i): ScriptedMessage => {
    const path = `messages[${i}]`;
    const o = c.obj(raw, path);
    c.onlyKeys(o, path, ['atMs', 'to', 'from', 'name', 'text']);
    return dropUndefined<ScriptedMessage>({
      atMs: c.ms(o, 'atMs', path, false) as number,
      to: c.number(o, 'to', path),
      from: c.number(o, 'from', path),
      name: c.str(o, 'name', path, true),
      text: c.str(o, 'text', path) as string,
    });
  });

  const calls = c.list(root, 'calls', '(root)')?.map((raw, i): ScriptedCall => {
    const path = `calls[${i}]`;
    const o = c.obj(raw, path);
    c.onlyKeys(o, path, ['atMs', 'from', 'to']);
    return { atMs: c.ms(o, 'atMs', path, false) as number, from: c.number(o, 'from', path), to: c.number(o, 'to', path) };
  });

  return dropUndefined<Scenario>({
    contacts,
    accounts,
    unknownNumbers: c.behaviour(root, 'unknownNumbers', '(root)', true),
    offlineTimeoutMs: c.ms(root, 'offlineTimeoutMs', '(root)'),
    messages,
    calls,
  });
}

/** Reads and validates a scenario JSON file. */
export function loadScenario(path: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ScenarioError(path, '(file)', `cannot be read as JSON: ${(err as Error).message}`);
  }
  return parseScenario(json, path);
}
