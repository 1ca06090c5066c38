/**
 * The public Android API per SDK level, read from @nativescript/types-android's merged declarations
 * (`android-platform-21-37-merged.d.ts`: every public class and member of android.* and of the java.* /
 * javax.* library Android ships, with a `@since N` comment where it appeared after API 21). Used to record
 * in the allow-lists the API level each reference of the agent's dex needs.
 *
 * Members are matched by name, static or not, parameter count, then by parameter and return types where
 * the declarations name them (they often say `any`); among overloads that still match, the newest level
 * is taken, so a level is never understated.
 */
import { readFileSync } from 'node:fs';

/** Untagged declarations exist in the oldest platform the file covers. */
export const BASE_LEVEL = 21;

interface MemberDecl {
  name: string;
  params: string[];
  /** The declared type of a field or the return type of a method ('' for constructors). */
  type: string;
  since: number;
  field: boolean;
  isStatic: boolean;
}

interface ClassDecl {
  since: number;
  superclass: string | null;
  members: MemberDecl[];
}

export class ApiIndex {
  private constructor(private readonly classes: Map<string, ClassDecl>) {}

  static load(dtsPath: string): ApiIndex {
    return new ApiIndex(parse(readFileSync(dtsPath, 'utf8')));
  }

  hasClass(binaryName: string): boolean {
    return this.classes.has(binaryName);
  }

  /** The level a type needs, or null when it is not public API. */
  typeLevel(binaryName: string): number | null {
    return this.classes.get(binaryName)?.since ?? null;
  }

  /**
   * The level a member reference (`Lowner;.name:descriptor`) needs, looking up the superclasses as the
   * runtime does; null when no public declaration matches.
   */
  memberLevel(owner: string, name: string, descriptor: string, isStatic = false): number | null {
    const isField = !descriptor.startsWith('(');
    const params = isField ? [] : descriptorParams(descriptor);
    const returned = isField ? descriptor : descriptor.slice(descriptor.indexOf(')') + 1);
    const tsName = name === '<init>' ? 'constructor' : name;
    for (let c: string | null = owner; c !== null; ) {
      const decl = this.classes.get(c);
      if (!decl) return null;
      const candidates = decl.members.filter((m) => m.name === tsName && m.field === isField && (isField || m.params.length === params.length));
      const typed = candidates.filter(
        (m) =>
          m.isStatic === isStatic &&
          m.params.every((p, i) => paramMatches(p, params[i]!)) &&
          (m.type === '' || paramMatches(m.type, returned)),
      );
      const hits = typed.length > 0 ? typed : [];
      if (hits.length > 0) return Math.max(decl.since, ...hits.map((m) => m.since));
      // constructors are not inherited
      if (name === '<init>') return null;
      c = decl.superclass ?? (c === 'java.lang.Object' ? null : 'java.lang.Object');
    }
    return null;
  }
}

/** `(Ljava/lang/String;I[S)V` -> ['Ljava/lang/String;', 'I', '[S']. */
export function descriptorParams(descriptor: string): string[] {
  const inner = descriptor.slice(1, descriptor.indexOf(')'));
  const out: string[] = [];
  for (let i = 0; i < inner.length; ) {
    let j = i;
    while (inner[j] === '[') j++;
    if (inner[j] === 'L') j = inner.indexOf(';', j);
    out.push(inner.slice(i, j + 1));
    i = j + 1;
  }
  return out;
}

function paramMatches(ts: string, descriptor: string): boolean {
  const t = ts.replace(/\s*\|\s*null\b/g, '').replace(/<.*>/, '').trim();
  // `any`, or a type variable (`E`, `K`) that erases to its bound
  if (t === 'any' || t === '' || /^[A-Z]\w*$/.test(t)) return true;
  if (descriptor.startsWith('[')) return t.startsWith('androidNative.Array');
  if (descriptor === 'C') return t === 'number' || t === 'string';
  if ('IJSBFD'.includes(descriptor)) return t === 'number';
  if (descriptor === 'Z') return t === 'boolean';
  if (descriptor === 'V') return t === 'void';
  if (descriptor === 'Ljava/lang/String;') return t === 'string' || t === 'java.lang.String';
  const name = descriptor.slice(1, -1).replace(/[/$]/g, '.');
  return t === name || (name === 'java.lang.CharSequence' && t === 'string') || (name === 'java.lang.Object' && t === 'any');
}

/** Splits `a: T, b: java.util.Map<K, V>` at top-level commas and keeps the types. */
function paramTypes(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  if (list.trim().length > 0) parts.push(list.slice(start));
  return parts.map((p) => p.slice(p.indexOf(':') + 1).trim());
}

/** A constant's declared type is its value (`public static MODE_NORMAL: 0;`): say what kind it is. */
function literalType(t: string): string {
  if (/^-?\d/.test(t)) return 'number';
  if (/^["']/.test(t)) return 'string';
  if (t === 'true' || t === 'false') return 'boolean';
  return t;
}

const SINCE = /\/\*\*\s*@since (\d+)\s*\*\//;
const OPEN_MODULE = /^\s*(?:declare|export) module ([\w$]+) \{/;
const OPEN_CLASS = /^\s*export (?:abstract )?(class|interface) ([\w$]+)(?:<[^{]*?>)?\s*(?:extends ([\w.$]+))?/;
const METHOD = /^\s*public (?:static )?(?:abstract )?([\w$]+)(?:<[^(]*>)?\((.*)\):\s*(.+);\s*$/;
const CTOR = /^\s*public constructor\((.*)\);/;
const FIELD = /^\s*public (?:static )?([\w$]+): (.+);\s*$/;

function parse(text: string): Map<string, ClassDecl> {
  const classes = new Map<string, ClassDecl>();
  // one entry per open brace: the dotted path it opens ('' for other braces)
  const stack: { path: string; isClass: boolean; decl?: ClassDecl }[] = [];
  let since = BASE_LEVEL;
  const pathOf = (name: string) => {
    const parent = stack.length > 0 ? stack[stack.length - 1]!.path : '';
    return parent ? `${parent}.${name}` : name;
  };
  const binary = (dotted: string) => {
    // a module named like a known class holds its nested classes: android.media.AudioAttributes.Builder
    const parts = dotted.split('.');
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i++) out += (classes.has(out) ? '$' : '.') + parts[i];
    return out;
  };
  for (const line of text.split('\n')) {
    const tag = SINCE.exec(line);
    if (tag && !/\bpublic\b|\bexport\b/.test(line)) {
      since = Number(tag[1]);
      continue;
    }
    const top = stack.length > 0 ? stack[stack.length - 1]! : null;
    const mod = OPEN_MODULE.exec(line);
    if (mod) {
      stack.push({ path: pathOf(mod[1]!), isClass: false });
      since = BASE_LEVEL;
      continue;
    }
    const cls = OPEN_CLASS.exec(line);
    if (cls) {
      const name = binary(pathOf(cls[2]!));
      const decl: ClassDecl = {
        since,
        superclass: cls[1] === 'class' && cls[3] ? binary(cls[3].replace(/<.*$/, '')) : null,
        members: [],
      };
      classes.set(name, decl);
      stack.push({ path: pathOf(cls[2]!), isClass: true, decl });
      since = BASE_LEVEL;
      continue;
    }
    if (top?.isClass && top.decl) {
      const memberSince = Math.max(top.decl.since, since);
      const ctor = CTOR.exec(line);
      const method = ctor ? null : METHOD.exec(line);
      const field = ctor || method ? null : FIELD.exec(line);
      const isStatic = /^\s*public static /.test(line);
      const push = (name: string, params: string[], type: string, isField: boolean) =>
        top.decl!.members.push({ name, params, type, since: memberSince, field: isField, isStatic });
      if (ctor) push('constructor', paramTypes(ctor[1]!), '', false);
      else if (method) push(method[1]!, paramTypes(method[2]!), method[3]!, false);
      else if (field && field[1] !== 'class') push(field[1]!, [], literalType(field[2]!), true);
      if (ctor || method || field) since = BASE_LEVEL;
    }
    if (/^\s*\}\s*$/.test(line)) stack.pop();
  }
  return classes;
}
