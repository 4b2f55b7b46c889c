/*
 * Events of a billing-run stream: `billing-run-<YYYY-MM>` for a scheduled run (its run id
 * is the period) or `billing-run-<id>` for a manual one. Plain JSON, as invoice events.
 */

/** `retry`: a run of the retry scan, charging the automatic retries due (docs/design.md §2.11). */
export type BillingTrigger = 'scheduled' | 'manual' | 'retry';

/** Appended with `no_stream`: when every instance's cron fires at once, one run starts. */
export type BillingStarted = {
  readonly type: 'BillingStarted';
  readonly data: {
    readonly runId: string;
    /** "YYYY-MM"; always set for a scheduled run, optional for a manual one. */
    readonly period: string | null;
    readonly trigger: BillingTrigger;
    readonly instanceId: string;
    readonly startedAt: string;
    /**
     * "YYYY-MM-DD": `startedAt`'s date in the billing time zone. The run charges the
     * invoices due on or before it. Absent in runs started before due dates existed.
     */
    readonly billingDate?: string;
  };
};

/** How the run's invoices ended, as counted by the instance that completed it. */
export type BillingRunCounts = {
  readonly claimed: number;
  readonly paid: number;
  readonly failed: number;
  readonly unknown: number;
};

export type BillingCompleted = {
  readonly type: 'BillingCompleted';
  readonly data: {
    readonly runId: string;
    readonly instanceId: string;
    readonly completedAt: string;
    readonly counts: BillingRunCounts | null;
  };
};

export type BillingRunEvent = BillingStarted | BillingCompleted;
export type BillingRunEventType = BillingRunEvent['type'];
