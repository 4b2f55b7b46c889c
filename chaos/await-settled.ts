import type { InvoiceStatus } from '../src/billing/domain/invoice-status';
import {
  findRun,
  invoicesByStatus,
  type RunView,
  type ServiceEndpoint,
} from '../test/support/service/billing-api';

export type Statuses = Record<InvoiceStatus, string[]>;

export interface SettleWatch {
  readonly runId: string;
  readonly invoices: readonly string[];
  readonly deadline: number;
  /** An instance that is up now, to ask; throws when there is none. */
  readonly anyUp: () => ServiceEndpoint;
  readonly log: (line: string) => void;
}

const POLL_MS = 500;
const LOG_EVERY_MS = 5_000;

/**
 * Waits until the run is COMPLETED with nothing in flight and every invoice PAID, FAILED
 * or UNKNOWN in the read models (the sweep may still be ending a dead instance's
 * attempts after COMPLETED). Past the deadline, returns the statuses as they stand and
 * where the run stood. REST failures (PostgreSQL restarting, an instance dying) are
 * waited out.
 */
export async function awaitSettled(
  watch: SettleWatch,
): Promise<{ statuses: Statuses; unsettled: string | null }> {
  let last = 'nothing yet';
  let loggedAt = Date.now();
  // At least one look, even past the deadline: the run may have settled meanwhile.
  for (let first = true; first || Date.now() < watch.deadline; first = false) {
    try {
      const run = await findRun(watch.anyUp(), watch.runId);
      last = describeRun(run);
      if (run?.status === 'COMPLETED' && run.counts.processing === 0) {
        const statuses = await invoicesByStatus(watch.anyUp());
        const open = openInvoices(watch.invoices, statuses);
        // The sweep may still settle an UNKNOWN by lookup, and a listing made of pages
        // could see that invoice twice or not at all: take two listings that agree.
        if (open === 0 && sameStatuses(statuses, await invoicesByStatus(watch.anyUp()))) {
          return { statuses, unsettled: null };
        }
        last += `; ${open} invoices not PAID, FAILED or UNKNOWN yet`;
      }
    } catch (error) {
      last = `the REST API failed: ${(error as Error).message}`;
    }
    if (Date.now() - loggedAt >= LOG_EVERY_MS) {
      watch.log(`waiting for the run to settle: ${last}`);
      loggedAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return {
    statuses: await invoicesByStatus(watch.anyUp()),
    unsettled: `the run did not settle in time; last seen: ${last}`,
  };
}

function describeRun(run: RunView | undefined): string {
  if (run === undefined) return 'the run is not visible';
  const { processing, paid, failed, unknown } = run.counts;
  return `${run.status}, ${processing} processing, ${paid} paid, ${failed} failed, ${unknown} unknown`;
}

function sameStatuses(a: Statuses, b: Statuses): boolean {
  const key = (statuses: Statuses) =>
    JSON.stringify(Object.entries(statuses).map(([status, ids]) => [status, [...ids].sort()]));
  const ids = Object.values(a).flat();
  return key(a) === key(b) && new Set(ids).size === ids.length;
}

function openInvoices(invoices: readonly string[], statuses: Statuses): number {
  const ended = new Set([...statuses.PAID, ...statuses.FAILED, ...statuses.UNKNOWN]);
  return invoices.filter((id) => !ended.has(id)).length;
}
