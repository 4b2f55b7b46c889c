import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BILLING_CLOCK, type BillingClock } from '../billing-clock';
import { RetryScheduler } from '../scheduling/retry-scheduler';
import { TestClock } from '../test-clock';
import { AdvanceTestClockCommand, type AdvanceTestClockResult } from './advance-test-clock.command';
import { TestClockError } from './test-clock.error';

/**
 * Moves this instance's test clock and fires its retry scan. Only this instance's clock
 * moves: a demo or a test runs one instance (or moves each).
 */
@CommandHandler(AdvanceTestClockCommand)
export class AdvanceTestClockHandler implements ICommandHandler<AdvanceTestClockCommand> {
  constructor(
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
    private readonly retries: RetryScheduler,
  ) {}

  async execute({ move }: AdvanceTestClockCommand): Promise<AdvanceTestClockResult> {
    const clock = this.clock;
    if (!(clock instanceof TestClock)) {
      throw new TestClockError(
        'TEST_CLOCK_OFF',
        'This service runs on real time: start it with ANTAEUS_TEST_CLOCK=true (never in production) to move time',
      );
    }
    const byMs = 'byMs' in move ? move.byMs : move.to.getTime() - clock.now().getTime();
    if (!(byMs > 0)) {
      throw new TestClockError(
        'TEST_CLOCK_BACKWARDS',
        `A test clock only moves forward; it is now ${clock.now().toISOString()}`,
      );
    }
    clock.advance(byMs);
    const retryRun = await this.retries.fire();
    return { now: clock.now(), aheadMs: clock.aheadMs, retryRun };
  }
}
