import type { BillingClock } from '../../../src/billing/billing-clock';

/**
 * Real time plus an offset a test moves: past an attempt timeout at once, or to a
 * chosen instant (`startAt`) from which time then runs on.
 */
export class ManualClock implements BillingClock {
  private offsetMs: number;

  constructor(startAt?: Date) {
    this.offsetMs = startAt ? startAt.getTime() - Date.now() : 0;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
