import { Command } from '@nestjs/cqrs';
import type { StartBillingRunResult } from './start-billing-run.command';

export interface AdvanceTestClockResult {
  /** The clock after the move. */
  readonly now: Date;
  /** How far ahead of real time it now is. */
  readonly aheadMs: number;
  /** The retry run the move made due (the retry scan fired at once), or null. */
  readonly retryRun: StartBillingRunResult | null;
}

/**
 * Moves the test clock forward (ANTAEUS_TEST_CLOCK=true only) by `byMs`, or to `to`, then
 * fires the retry scan once so the retries now due are charged without waiting for its cron.
 */
export class AdvanceTestClockCommand extends Command<AdvanceTestClockResult> {
  constructor(readonly move: { readonly byMs: number } | { readonly to: Date }) {
    super();
  }
}
