import type { BillingClock } from './billing-clock';

/**
 * The clock of ANTAEUS_TEST_CLOCK=true (tests and demos only; loadConfig refuses it with
 * NODE_ENV=production): real time plus an offset an operator moves forward, like a
 * Stripe test clock. Time then runs on from the moved instant; it never goes back, so no
 * event is ever stamped earlier than one already written.
 */
export class TestClock implements BillingClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** How far ahead of real time this clock is. */
  get aheadMs(): number {
    return this.offsetMs;
  }

  /** Moves forward by `ms` (> 0). */
  advance(ms: number): Date {
    if (!(ms > 0)) throw new RangeError('a test clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }

  /** Moves to `at`, which must be later than now. */
  moveTo(at: Date): Date {
    return this.advance(at.getTime() - this.now().getTime());
  }
}
