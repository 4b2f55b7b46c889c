/**
 * Reads `count` items from an async iterator, failing after `timeoutMs` instead of
 * hanging: tests wait for events with a deadline, never for a fixed time.
 */
export async function takeEvents<T>(
  iterator: AsyncIterator<T>,
  count: number,
  timeoutMs = 5_000,
): Promise<T[]> {
  const taken: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`timed out after ${timeoutMs} ms with ${taken.length} of ${count} events`),
        ),
      timeoutMs,
    );
  });
  try {
    while (taken.length < count) {
      const next = await Promise.race([iterator.next(), deadline]);
      if (next.done) break;
      taken.push(next.value);
    }
    return taken;
  } finally {
    clearTimeout(timer);
  }
}

/** Settles to the error a promise rejects with, or fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}
