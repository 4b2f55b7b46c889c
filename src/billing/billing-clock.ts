/** Nest injection token for the clock the billing write side decides with. */
export const BILLING_CLOCK = Symbol('BILLING_CLOCK');

/**
 * The time source of claims, outcomes and the sweep: injected, so tests move time past
 * the attempt timeout instead of waiting for it.
 */
export interface BillingClock {
  now(): Date;
}

export const systemBillingClock: BillingClock = { now: () => new Date() };
