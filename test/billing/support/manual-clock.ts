import type { BillingClock } from '../../../src/billing/billing-clock';

/**
 * Real time plus an offset a test moves: past an attempt timeout at once, or to a
 * chosen instant (`startAt`) from which time then runs on. A stopped clock
 * (`ManualClock.stopped()`) moves only when advanced, for a test whose limit a slow
 * machine's real seconds must not cross (a key's 24 h checked to the second).
 */
export class ManualClock implements BillingClock {
  private offsetMs: number;

  constructor(
    startAt?: Date,
    private readonly realTime: () => number = Date.now,
  ) {
    this.offsetMs = startAt ? startAt.getTime() - realTime() : 0;
  }

  static stopped(at: Date = new Date()): ManualClock {
    const instant = at.getTime();
    return new ManualClock(at, () => instant);
  }

  now(): Date {
    return new Date(this.realTime() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
