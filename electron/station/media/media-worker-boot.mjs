// Worker entry, for the media workers and the headset worker (operator/headset-worker.ts). Node
// cannot load media-worker.ts by itself (tsx's loader does not follow the process
// into worker threads, and vitest transforms only its own thread), so register tsx here when the entry
// is TypeScript; a built .js entry is imported as is.
import { workerData } from 'node:worker_threads';

const entry = workerData.entry;
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
