/**
 * The link check of the on-phone agent: no phone runs here, so what the built dex asks of the phone's
 * framework is pinned instead. dexdump must accept the jar; every android.* type and member it refers to
 * is on the committed allow-list with the API level it needs (an entry above Android 10 or outside the
 * public API must say how it is safe); every java.* / javax.* reference is in Android 10's library; and the
 * compile-only stubs never end up in the jar (the phone's own classes must be the ones that run).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANDROID_LIST, JAVA_LIST, MIN_API, entryProblem, readAllowList, type AllowEntry } from './link-check/allow-list';
import { AGENT_DIR, AGENT_JAR, ensureAgentBuilt } from './link-check/build';
import { dexdump, parseDexdump, type DexRefs } from './link-check/dex-refs';

const REGENERATE = 'review it, then run phone-agent/android/link-check/update-allow-lists.ts and commit the lists';

function javaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? javaFiles(path) : path.endsWith('.java') ? [path] : [];
  });
}

/** `stubs/src/android/media/AudioRecord.java` -> `Landroid/media/AudioRecord;`. */
function stubDescriptors(): string[] {
  const root = join(AGENT_DIR, 'stubs', 'src');
  return javaFiles(root).map((f) => `L${relative(root, f).replace(/\.java$/, '')};`);
}

function compare(refs: string[], list: Map<string, AllowEntry>): { missing: string[]; stale: string[] } {
  const used = new Set(refs);
  return {
    missing: refs.filter((r) => !list.has(r)).sort(),
    stale: [...list.keys()].filter((r) => !used.has(r)).sort(),
  };
}

describe('the agent jar links against Android 10+', () => {
  let refs: DexRefs;
  let all: string[];

  beforeAll(() => {
    ensureAgentBuilt();
    refs = parseDexdump(dexdump(AGENT_JAR));
    all = [...refs.types, ...refs.members];
  }, 300_000);

  it('is a dex that dexdump accepts, holding only the agent’s own classes and none of the stubs', () => {
    expect(refs.defined.size).toBeGreaterThan(50);
    expect([...refs.defined].filter((c) => !c.startsWith('Lorg/sip2wa/agent/'))).toEqual([]);
    expect(refs.defined.has('Lorg/sip2wa/agent/Main;')).toBe(true);
    const stubs = stubDescriptors();
    expect(stubs.length).toBeGreaterThan(10);
    expect(stubs.filter((s) => refs.defined.has(s))).toEqual([]);
  });

  it('refers to nothing outside android.*, java.* and javax.*', () => {
    expect(all.filter((r) => !/^L(android|java|javax)\//.test(r)).sort()).toEqual([]);
  });

  it('refers only to allow-listed android.* types and members, each usable from the minimum API or guarded', () => {
    const list = readAllowList(ANDROID_LIST);
    const { missing, stale } = compare(
      all.filter((r) => r.startsWith('Landroid/')),
      list,
    );
    expect(missing, `android.* references not on ${ANDROID_LIST}: ${REGENERATE}`).toEqual([]);
    expect(stale, `entries of ${ANDROID_LIST} the dex no longer uses: ${REGENERATE}`).toEqual([]);
    expect([...list.values()].map(entryProblem).filter((p) => p !== null)).toEqual([]);
  });

  it('refers only to java.* / javax.* members of Android 10’s library', () => {
    const list = readAllowList(JAVA_LIST);
    const { missing, stale } = compare(
      all.filter((r) => /^Ljavax?\//.test(r)),
      list,
    );
    expect(missing, `java.* references not on ${JAVA_LIST}: ${REGENERATE}`).toEqual([]);
    expect(stale, `entries of ${JAVA_LIST} the dex no longer uses: ${REGENERATE}`).toEqual([]);
    const tooNew = [...list.values()].filter((e) => e.level === 'hidden' || e.level > MIN_API).map((e) => `${e.ref} (${e.level})`);
    expect(tooNew).toEqual([]);
  });

  it('keeps no stub class the glue does not use, so the stubs stay a record of what it needs', () => {
    const named = new Set(all.map((r) => r.slice(0, r.indexOf(';') + 1)));
    expect(stubDescriptors().filter((s) => !named.has(s) && !s.includes('$'))).toEqual([]);
  });
});

describe('the allow-list rules', () => {
  it('refuse a member above Android 10 without a note saying how older phones never reach it', () => {
    expect(entryProblem({ ref: 'Landroid/x/Y;.z:()V', level: 31, note: '' })).toMatch(/above the minimum 29/);
    expect(entryProblem({ ref: 'Landroid/x/Y;.z:()V', level: 31, note: 'only called on 31+' })).toBeNull();
    expect(entryProblem({ ref: 'Landroid/x/Y;.z:()V', level: 29, note: '' })).toBeNull();
  });

  it('refuse a hidden type without its reason', () => {
    expect(entryProblem({ ref: 'Landroid/x/IHidden;', level: 'hidden', note: '' })).toMatch(/not public API/);
  });
});
