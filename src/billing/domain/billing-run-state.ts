import type { BillingRunCounts, BillingTrigger } from './billing-run-events';

export type BillingRunStatus = 'RUNNING' | 'COMPLETED';

export interface NoBillingRun {
  readonly exists: false;
}

export interface BillingRun {
  readonly exists: true;
  readonly runId: string;
  readonly period: string | null;
  readonly trigger: BillingTrigger;
  readonly startedBy: string;
  readonly startedAt: string;
  /** "YYYY-MM-DD": the run charges the invoices due on or before this date. */
  readonly billingDate: string;
  readonly status: BillingRunStatus;
  readonly completedAt: string | null;
  readonly counts: BillingRunCounts | null;
}

export type BillingRunState = NoBillingRun | BillingRun;

export const initialBillingRunState: BillingRunState = Object.freeze({ exists: false });
