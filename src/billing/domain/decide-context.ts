import type { RetryPolicy } from './retry-policy';

/**
 * What decide needs from the world, passed in so decide stays pure and replayable:
 * the clock reading and who is deciding.
 */
export interface DecideContext {
  /** ISO-8601 instant with offset, e.g. "2025-05-01T00:00:00.000Z". */
  readonly now: string;
  /** The service instance appending the events (audit, docs/design.md §2.4). */
  readonly instanceId: string;
  /**
   * The retry policy in force (docs/design.md §2.11): a failure appends what it says.
   * Absent, failures schedule nothing (the behaviour before dunning, and the tests that
   * are not about it).
   */
  readonly retryPolicy?: RetryPolicy;
}
