/**
 * Regenerates the link check's allow-lists (android.txt, java.txt) from the built agent and the public
 * API levels of @nativescript/types-android (fetched once with `npm pack` into the build cache, never a
 * dependency). Run it after changing what the glue calls, review the diff, commit both:
 *
 *   npm run build:agent && npx tsx phone-agent/android/link-check/update-allow-lists.ts
 *
 * It refuses a reference it cannot place: not public API and not in HIDDEN below, or newer than Android 10
 * and not in GUARDED below, so each exception is written down once with its reason.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiIndex } from './api-index';
import { ANDROID_LIST, JAVA_LIST, MIN_API, writeAllowList, type AllowEntry } from './allow-list';
import { AGENT_JAR, ensureAgentBuilt } from './build';
import { className, dexdump, parseDexdump } from './dex-refs';

const TYPES_PACKAGE = '@nativescript/types-android@9.1.1';

/** Referenced, not public API, and why that is safe. */
const HIDDEN: Record<string, string> = {
  'Landroid/content/IContentProvider;':
    'hidden interface (AOSP, every version): only named as the return type of the ContentResolver callbacks the glue overrides; never called',
};

/** Newer than the minimum, and how the glue makes sure an older phone never reaches it. */
const GUARDED: Record<string, string> = {
  'Landroid/content/AttributionSource;':
    'only in ShellContext.getAttributionSource(), which the framework calls from Android 12 (API 31) on',
  'Landroid/content/AttributionSource$Builder;': 'as AttributionSource',
  'Landroid/content/AttributionSource$Builder;.<init>:(I)V': 'as AttributionSource',
  'Landroid/content/AttributionSource$Builder;.setPackageName:(Ljava/lang/String;)Landroid/content/AttributionSource$Builder;':
    'as AttributionSource',
  'Landroid/content/AttributionSource$Builder;.build:()Landroid/content/AttributionSource;': 'as AttributionSource',
};

function typesDeclarations(): string {
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sip2wa', 'types-android');
  const dts = join(cache, 'package', 'lib', 'android', 'android-platform-21-37-merged.d.ts');
  if (existsSync(dts)) return dts;
  mkdirSync(cache, { recursive: true });
  execFileSync('npm', ['pack', TYPES_PACKAGE, '--silent'], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(cache).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${TYPES_PACKAGE} left no archive in ${cache}`);
  execFileSync('tar', ['-xzf', tgz], { cwd: cache });
  return dts;
}

function level(index: ApiIndex, ref: string, isStatic: boolean): number | null {
  const dot = ref.indexOf(';.');
  if (dot < 0) return index.typeLevel(className(ref));
  const owner = className(ref.slice(0, dot + 1));
  const rest = ref.slice(dot + 2);
  const colon = rest.indexOf(':');
  return index.memberLevel(owner, rest.slice(0, colon), rest.slice(colon + 1), isStatic);
}

function main(): void {
  ensureAgentBuilt();
  const refs = parseDexdump(dexdump(AGENT_JAR));
  const index = ApiIndex.load(typesDeclarations());
  const android: AllowEntry[] = [];
  const java: AllowEntry[] = [];
  const problems: string[] = [];
  for (const ref of [...refs.types, ...refs.members]) {
    const isAndroid = ref.startsWith('Landroid/');
    const isJava = ref.startsWith('Ljava/') || ref.startsWith('Ljavax/');
    if (!isAndroid && !isJava) {
      problems.push(`${ref}: outside android.*, java.* and javax.*`);
      continue;
    }
    const found = level(index, ref, refs.staticMembers.has(ref));
    if (found === null) {
      if (isAndroid && HIDDEN[ref]) android.push({ ref, level: 'hidden', note: HIDDEN[ref]! });
      else problems.push(`${ref}${refs.staticMembers.has(ref) ? ' (static)' : ''}: not in the public API of ${TYPES_PACKAGE}`);
      continue;
    }
    const note = found > MIN_API ? GUARDED[ref] : undefined;
    if (found > MIN_API && (!isAndroid || !note)) {
      problems.push(`${ref}: needs API ${found}, above ${MIN_API}`);
      continue;
    }
    (isAndroid ? android : java).push({ ref, level: found, note: note ?? '' });
  }
  if (problems.length > 0) {
    console.error(`update-allow-lists: ${problems.length} references cannot be allowed:\n  ${problems.sort().join('\n  ')}`);
    process.exit(1);
  }
  const source = `API levels from ${TYPES_PACKAGE} (@since data; members matched by name, parameter count and types).`;
  writeAllowList(
    ANDROID_LIST,
    `Every android.* type and member the agent's dex refers to: ref, API level needed, note.\n${source}\nRegenerate with phone-agent/android/link-check/update-allow-lists.ts; the link check fails on any difference.`,
    android,
  );
  writeAllowList(
    JAVA_LIST,
    `Every java.* / javax.* type and member the agent's dex refers to, all in Android 10's library (API ${MIN_API}).\n${source}\nRegenerate with phone-agent/android/link-check/update-allow-lists.ts; the link check fails on any difference.`,
    java,
  );
  console.log(`update-allow-lists: ${android.length} android.* and ${java.length} java.* references written`);
}

main();
