import { Command } from '@nestjs/cqrs';
import type { Position } from '../../event-store/position';

export interface StartBillingRunResult {
  readonly runId: string;
  /** False when the period's run had already started (another instance, or earlier). */
  readonly started: boolean;
  readonly position: Position | null;
}

/**
 * Starts a run: scheduled for a period (`billing-run-YYYY-MM`), manual, or the retry
 * scan's (`billing-run-retry-<fire time>`, its id given by the RetryScheduler).
 */
export class StartBillingRunCommand extends Command<StartBillingRunResult> {
  constructor(
    readonly trigger: 'scheduled' | 'manual' | 'retry',
    readonly period: string | null,
    /** Who asked (invariant 9): the API key's name; null for the scheduler and the CLI. */
    readonly apiKeyName: string | null = null,
    /** A retry run's id (retryRunId): every instance's cron names the same run. */
    readonly runId: string | null = null,
  ) {
    super();
  }
}
