/**
 * What a built dex refers to outside itself, read from Debian's `dexdump -d`: every class it defines, every
 * method and field it calls or reads on a class it does not define (`Landroid/media/AudioRecord;.read:([SII)I`),
 * and every outside type it names (superclasses, interfaces, casts, signatures). A reference made through
 * one of its own classes to an inherited member (`ShellContext.getSystemService`) is charged to the first
 * outside superclass, which is where the phone resolves it.
 */
import { execFileSync } from 'node:child_process';

export interface DexRefs {
  /** Classes the dex defines, as descriptors (`Lorg/sip2wa/agent/Main;`). */
  defined: Set<string>;
  /** Outside members: `Lowner;.name:descriptor`. */
  members: Set<string>;
  /** Outside types named anywhere, as descriptors (array brackets removed). */
  types: Set<string>;
  /** The members of `members` reached by a static instruction (invoke-static, sget, sput). */
  staticMembers: Set<string>;
}

interface ClassDef {
  superclass: string | null;
  members: Set<string>;
}

const MEMBER_REF = /\|[0-9a-f]{4}: ([a-z-]+)(?:\/[a-z]+)? .*?(L[^;\s]+;)\.([^:\s]+):(\S+) \/\/ (?:method|field)@/;
const STATIC_OPS = /^(invoke-static|sget|sput)/;
const TYPE_REF = /, \[*(L[^;\s]+;) \/\/ type@/;
const DESCRIPTOR_TYPES = /L[^;]+;/g;

/** Runs dexdump on the jar; throws with dexdump's own words when it rejects the file. */
export function dexdump(jar: string): string {
  try {
    return execFileSync('dexdump', ['-d', jar], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`dexdump rejected ${jar}: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

export function parseDexdump(text: string): DexRefs {
  const classes = new Map<string, ClassDef>();
  const rawMembers = new Set<string>();
  const rawStatic = new Set<string>();
  const types = new Set<string>();
  let current: ClassDef | null = null;
  let inInterfaces = false;
  let pendingName: string | null = null;
  for (const line of text.split('\n')) {
    const descriptor = /^\s*Class descriptor\s*: '([^']+)'/.exec(line);
    if (descriptor) {
      current = { superclass: null, members: new Set() };
      classes.set(descriptor[1]!, current);
      inInterfaces = false;
      continue;
    }
    if (!current) continue;
    const sup = /^\s*Superclass\s*: '([^']+)'/.exec(line);
    if (sup) {
      current.superclass = sup[1]!;
      types.add(sup[1]!);
      continue;
    }
    if (/^\s*Interfaces\s*-/.test(line)) {
      inInterfaces = true;
      continue;
    }
    if (inInterfaces) {
      const iface = /^\s*#\d+\s*: '([^']+)'/.exec(line);
      if (iface) {
        types.add(iface[1]!);
        continue;
      }
      inInterfaces = false;
    }
    const name = /^\s*name\s*: '([^']+)'/.exec(line);
    if (name) {
      pendingName = name[1]!;
      continue;
    }
    const type = /^\s*type\s*: '([^']+)'/.exec(line);
    if (type) {
      if (pendingName !== null) current.members.add(`${pendingName}:${type[1]}`);
      pendingName = null;
      for (const t of type[1]!.match(DESCRIPTOR_TYPES) ?? []) types.add(t);
      continue;
    }
    const member = MEMBER_REF.exec(line);
    if (member) {
      const ref = `${member[2]}.${member[3]}:${member[4]}`;
      rawMembers.add(ref);
      if (STATIC_OPS.test(member[1]!)) rawStatic.add(ref);
      types.add(member[2]!);
      for (const t of member[4]!.match(DESCRIPTOR_TYPES) ?? []) types.add(t);
      continue;
    }
    const typeRef = TYPE_REF.exec(line);
    if (typeRef) types.add(typeRef[1]!);
  }

  const members = new Set<string>();
  const staticMembers = new Set<string>();
  for (const ref of rawMembers) {
    const owner = ref.slice(0, ref.indexOf(';.') + 1);
    const nameAndType = ref.slice(owner.length + 1);
    const resolved = resolveOwner(classes, owner, nameAndType);
    if (resolved === null) continue;
    members.add(`${resolved}.${nameAndType}`);
    if (rawStatic.has(ref)) staticMembers.add(`${resolved}.${nameAndType}`);
  }
  const defined = new Set(classes.keys());
  for (const t of [...types]) if (defined.has(t)) types.delete(t);
  return { defined, members, types, staticMembers };
}

/** The outside class a member reference lands on, or null when the dex defines the member itself. */
function resolveOwner(classes: Map<string, ClassDef>, owner: string, nameAndType: string): string | null {
  let c = owner;
  for (;;) {
    const def = classes.get(c);
    if (!def) return c;
    if (def.members.has(nameAndType)) return null;
    if (def.superclass === null) return null;
    c = def.superclass;
  }
}

/** `Landroid/media/AudioFormat$Builder;` -> `android.media.AudioFormat$Builder`. */
export function className(descriptor: string): string {
  return descriptor.slice(1, -1).replace(/\//g, '.');
}
