/**
 * Holds this process up for `ms`, as a starved PC does: no timer runs and no socket is read meanwhile.
 * (The stall is the test's input, not a wait: a slower machine only makes it longer.)
 */
export function holdUpProcess(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}

/** Polls until `check` returns a truthy value or the time runs out; resolves with the value and the wait. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<{ value: NonNullable<T>; elapsedMs: number }> {
  const start = performance.now();
  let last: unknown;
  while (performance.now() - start < timeoutMs) {
    try {
      const value = await check();
      if (value) return { value: value as NonNullable<T>, elapsedMs: performance.now() - start };
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}
