import type { BillingRunCounts } from './billing-run-events';

/**
 * A scheduled run's id is its period; a manual run brings its own id. `timeZone`: the
 * IANA zone the business bills in, which makes the run's billing date (UTC if absent).
 */
export type StartBillingRun =
  | {
      readonly type: 'StartBillingRun';
      readonly trigger: 'scheduled';
      readonly period: string;
      readonly timeZone?: string;
    }
  | {
      readonly type: 'StartBillingRun';
      /** `retry`: the retry scan's run, `retry-<fire time>`, one per cron fire. */
      readonly trigger: 'manual' | 'retry';
      readonly runId: string;
      readonly period?: string;
      readonly timeZone?: string;
    };

export type CompleteBillingRun = {
  readonly type: 'CompleteBillingRun';
  readonly runId: string;
  readonly counts?: BillingRunCounts;
};

export type BillingRunCommand = StartBillingRun | CompleteBillingRun;
