/**
 * A cleanup registry: every resource acquired for something (a device, a call) registers how to release
 * it, and one `release()` runs them all, newest first, so a forward outlives nothing that uses it.
 * A failing cleanup is logged and does not stop the others.
 */
import type { Logger } from './log';

type Cleanup = () => void | Promise<void>;

export class CleanupRegistry {
  private entries: Array<{ what: string; run: Cleanup }> = [];

  constructor(private readonly log: Logger) {}

  /** Registers a cleanup; the returned function runs it now and removes it from the registry. */
  add(what: string, run: Cleanup): () => Promise<void> {
    const entry = { what, run };
    this.entries.push(entry);
    return async () => {
      const i = this.entries.indexOf(entry);
      if (i < 0) return;
      this.entries.splice(i, 1);
      await this.runOne(entry);
    };
  }

  get size(): number {
    return this.entries.length;
  }

  async release(): Promise<void> {
    const entries = this.entries.reverse();
    this.entries = [];
    for (const entry of entries) await this.runOne(entry);
  }

  private async runOne(entry: { what: string; run: Cleanup }): Promise<void> {
    try {
      await entry.run();
    } catch (err) {
      this.log.warn(`cleanup of ${entry.what} failed: ${(err as Error).message}`);
    }
  }
}
