/** Nest injection token for the clock that dates keys and leases. */
export const IDEMPOTENCY_CLOCK = Symbol('IDEMPOTENCY_CLOCK');

/** Injected, so tests move time past a lease or the 24 h instead of waiting. */
export interface IdempotencyClock {
  now(): Date;
}

export const systemIdempotencyClock: IdempotencyClock = { now: () => new Date() };
