import type { StopSignal } from '../../shared/stop-signal';
import { isUnavailable } from '../../shared/is-unavailable';

export class StoppedWhileUnavailableError extends Error {
  override readonly name = 'StoppedWhileUnavailableError';

  constructor(what: string, options: { cause: unknown }) {
    super(
      `gave up on ${what}: the service is stopping and the store is still unavailable`,
      options,
    );
  }
}

export interface RetryOptions {
  readonly what: string;
  readonly delayMs: (retry: number) => number;
  /** Retrying stops when this is stopped; the last error is then thrown (wrapped). */
  readonly signal: StopSignal;
  /** Where the retries are logged (a Nest Logger, or the engine's BillingLog). */
  readonly logger?: { warn(message: string): void };
}

/**
 * Runs `work` until it succeeds or fails for a reason other than an unreachable store.
 * The same request is retried as is: its event ids make a retry of an append that did
 * land an idempotent success, so nothing is written twice and nothing is lost.
 */
export async function retryWhileUnavailable<T>(
  work: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let retry = 1; ; retry++) {
    try {
      return await work();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      if (options.signal.stopped)
        throw new StoppedWhileUnavailableError(options.what, { cause: error });
      if (retry === 1 || retry % 10 === 0) {
        options.logger?.warn(
          `${options.what}: store unavailable (${(error as Error).message}); retry ${retry}`,
        );
      }
      await options.signal.sleep(options.delayMs(retry));
    }
  }
}

/** Store work retried while the store is unavailable; `what` names it in the log. */
export type StoreRetry = <T>(what: string, work: () => Promise<T>) => Promise<T>;

/** One service's StoreRetry: its delays, its stop signal, its logger. */
export function storeRetry(options: Omit<RetryOptions, 'what'>): StoreRetry {
  return (what, work) => retryWhileUnavailable(work, { ...options, what });
}
