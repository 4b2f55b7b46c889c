import type { DecideContext } from './decide-context';
import type { ChargeStage } from './invoice-events';
import type { ChargeAttemptRecord, Invoice } from './invoice-state';

/** The audit fields of an event about `record`, written by the deciding instance. */
export function chargeStage(
  invoice: Invoice,
  record: ChargeAttemptRecord,
  context: DecideContext,
): ChargeStage {
  return {
    invoiceId: invoice.invoiceId,
    attempt: record.attempt,
    idempotencyKey: record.idempotencyKey,
    runId: record.runId,
    instanceId: context.instanceId,
  };
}

export function describeAttempt(invoice: Invoice, attempt: number): string {
  return `attempt ${attempt} of invoice ${invoice.invoiceId}`;
}
