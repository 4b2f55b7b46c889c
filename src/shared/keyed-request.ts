import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request with an Idempotency-Key that the current async call chain serves
 * (docs/design.md §2.8). The API's idempotency interceptor opens it around the route handler;
 * command handlers read it once, when they start, and pass it on explicitly (never
 * from deeper code, so background work a request starts does not inherit it).
 */
export interface KeyedRequest {
  /**
   * Names the keyed request for as long as its key is kept: every event it writes
   * carries it in metadata (`requestId`), so a re-run after a crash finds its own work.
   */
  readonly requestId: string;
  /** When the key was first received: a re-run derives the same ids from it. */
  readonly firstSeenAt: Date;
}

const storage = new AsyncLocalStorage<KeyedRequest>();

export function runInKeyedRequest<T>(request: KeyedRequest, work: () => T): T {
  return storage.run(request, work);
}

/** The keyed request being served, or null outside one (no key, the engine, the CLI). */
export function currentKeyedRequest(): KeyedRequest | null {
  return storage.getStore() ?? null;
}
