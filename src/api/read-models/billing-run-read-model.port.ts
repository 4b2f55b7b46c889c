import type { Money } from '../../shared/money';
import type { Page, PageRequest } from '../../shared/page';

/** The billing-run views the REST queries read; projections/ implements the port. */
export const BILLING_RUN_READ_MODEL = Symbol('BILLING_RUN_READ_MODEL');

export interface BillingRunView {
  readonly runId: string;
  readonly period: string | null;
  readonly trigger: 'scheduled' | 'manual' | 'retry';
  readonly status: 'RUNNING' | 'COMPLETED';
  readonly startedAt: string;
  readonly completedAt: string | null;
  /** Attempts of this run by how they stand now. */
  readonly counts: {
    readonly processing: number;
    readonly paid: number;
    readonly failed: number;
    readonly unknown: number;
  };
  /**
   * What the run's paid attempts took, per currency (by currency code): for a retry run,
   * the amount its retries recovered.
   */
  readonly collected: readonly Money[];
}

export interface BillingRunReadModel {
  /** Newest first. */
  list(page: PageRequest): Promise<Page<BillingRunView>>;
  get(runId: string): Promise<BillingRunView | null>;
}
