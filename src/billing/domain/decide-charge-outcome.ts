import { chargeStage, describeAttempt } from './charge-stage';
import { accept, reject } from './decision';
import type { DecideContext } from './decide-context';
import { classifyFailure } from './failure-reason';
import type { ChargeOutcomeReport, RecordChargeOutcome } from './invoice-commands';
import type { InvoiceDecision } from './invoice-error-code';
import type { InvoiceEvent } from './invoice-events';
import { evolveInvoice } from './evolve-invoice';
import { findAttempt, type ChargeAttemptRecord, type Invoice } from './invoice-state';
import { scheduleAfterFailure } from './schedule-after-failure';

/**
 * Records how an attempt ended. A definite answer (paid / failed) is accepted while the
 * attempt is open, and also after it was marked UNKNOWN, even after a person resolved
 * it: no fact about money is dropped (invariant 3). Each attempt takes one definite
 * answer; a repeat is OUTCOME_ALREADY_RECORDED (the engine retried: done), a different
 * one is OUTCOME_CONFLICT (the provider contradicted itself: a person must look).
 */
export function decideChargeOutcome(
  command: RecordChargeOutcome,
  invoice: Invoice,
  context: DecideContext,
): InvoiceDecision {
  const record = findAttempt(invoice, command.attempt);
  if (!record) return noSuchAttempt(invoice, command.attempt);
  const report = command.outcome;
  if (report.kind === 'unknown') {
    if (record.outcome !== 'OPEN') return alreadyEnded(invoice, record);
    return accept(unknownEvent(invoice, record, context, report.message));
  }
  if (record.providerSaid !== null) return alreadyAnswered(invoice, record, report);
  const event = definiteEvent(invoice, record, context, report);
  return accept(event, ...retryAfter(invoice, record, event, context));
}

/**
 * What the policy in force says after an on-time failure that leaves the invoice FAILED on
 * this attempt, appended with the failure (docs/design.md §2.11). A late truth after
 * UNKNOWN schedules nothing: an unknown outcome is never retried automatically, and a
 * person has already been asked to look at it.
 */
function retryAfter(
  invoice: Invoice,
  record: ChargeAttemptRecord,
  event: InvoiceEvent,
  context: DecideContext,
): InvoiceEvent[] {
  const policy = context.retryPolicy;
  if (!policy || event.type !== 'ChargeFailed' || record.outcome !== 'OPEN') return [];
  const after = evolveInvoice(invoice, event);
  if (!after.exists || after.status !== 'FAILED') return [];
  const { attempt, reason } = event.data;
  const decision = scheduleAfterFailure(policy, invoice, { attempt, reason }, context.now);
  const common = { invoiceId: invoice.invoiceId, afterAttempt: attempt, reason };
  if (decision.kind === 'retry') {
    const { retryNumber, at, delay, rule } = decision;
    const data = { ...common, retryNumber, at, delay, policy: policy.name, rule };
    return [{ type: 'RetryScheduled', data: { ...data, scheduledAt: context.now } }];
  }
  const { retriesMade, rule } = decision;
  const data = { ...common, retriesMade, policy: policy.name, rule, at: context.now };
  return [{ type: 'RetriesExhausted', data }];
}

export function noSuchAttempt(invoice: Invoice, attempt: number): InvoiceDecision {
  return reject(
    'ATTEMPT_MISMATCH',
    `invoice ${invoice.invoiceId} has no attempt ${attempt}; it has had ${invoice.attempts.length}`,
  );
}

export function alreadyEnded(invoice: Invoice, record: ChargeAttemptRecord): InvoiceDecision {
  return reject(
    'OUTCOME_ALREADY_RECORDED',
    `${describeAttempt(invoice, record.attempt)} already ended ${record.outcome}`,
  );
}

function alreadyAnswered(
  invoice: Invoice,
  record: ChargeAttemptRecord,
  report: Exclude<ChargeOutcomeReport, { kind: 'unknown' }>,
): InvoiceDecision {
  const earlier = describeAnswer(record.providerSaid, record.failureReason);
  const now =
    report.kind === 'paid' ? describeAnswer('PAID', null) : describeAnswer('FAILED', report.reason);
  if (earlier === now) {
    return reject(
      'OUTCOME_ALREADY_RECORDED',
      `${describeAttempt(invoice, record.attempt)} is already recorded as ${earlier}`,
    );
  }
  return reject(
    'OUTCOME_CONFLICT',
    `${describeAttempt(invoice, record.attempt)} is recorded as ${earlier} but is now reported ${now}; ` +
      `the first answer stands: check with the provider under key ${record.idempotencyKey}`,
  );
}

function describeAnswer(said: string | null, reason: string | null): string {
  return reason === null ? `${said}` : `${said} (${reason})`;
}

function definiteEvent(
  invoice: Invoice,
  record: ChargeAttemptRecord,
  context: DecideContext,
  report: Exclude<ChargeOutcomeReport, { kind: 'unknown' }>,
): InvoiceEvent {
  const stage = chargeStage(invoice, record, context);
  if (report.kind === 'paid') {
    return { type: 'InvoicePaid', data: { ...stage, amount: invoice.amount, paidAt: context.now } };
  }
  return {
    type: 'ChargeFailed',
    data: {
      ...stage,
      reason: report.reason,
      message: report.message ?? `the provider reported ${report.reason}`,
      retryable: classifyFailure(report.reason).retryable,
      failedAt: context.now,
    },
  };
}

function unknownEvent(
  invoice: Invoice,
  record: ChargeAttemptRecord,
  context: DecideContext,
  message: string | undefined,
): InvoiceEvent {
  return {
    type: 'ChargeOutcomeUnknown',
    data: {
      ...chargeStage(invoice, record, context),
      reason: 'AMBIGUOUS_NETWORK_ERROR',
      message: message ?? 'the request may have reached the provider, but its answer was lost',
      at: context.now,
    },
  };
}
