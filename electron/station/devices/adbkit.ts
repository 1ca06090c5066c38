/**
 * adbkit, loaded the same way under every runner. It is CommonJS compiled from TypeScript: Node's ESM
 * loader hands the whole `exports` object to a default import, bundlers (vite, vitest) hand over
 * `exports.default`. Importing it from here gives the Adb class in both.
 */
import adbkit from '@devicefarmer/adbkit';

const loaded = adbkit as unknown as { default?: typeof adbkit };

export const Adb: typeof adbkit = loaded.default ?? adbkit;
export type { Client, Device } from '@devicefarmer/adbkit';
