/**
 * Calls `sample` every `intervalMs` (measured start to start; a slow sample delays the
 * next one rather than overlapping it) until the returned stop() is awaited.
 */
export function every(intervalMs: number, sample: () => Promise<void>): () => Promise<void> {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      await sample();
      const wait = Math.max(0, intervalMs - (Date.now() - started));
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, wait);
      });
    }
  })();
  // Handled here so a failed sample waits for stop() to rethrow it, not crash the process.
  loop.catch(() => undefined);
  return async () => {
    stopped = true;
    wake?.();
    await loop;
  };
}
