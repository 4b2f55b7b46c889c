import { chargeStage, describeAttempt } from './charge-stage';
import { alreadyEnded, noSuchAttempt } from './decide-charge-outcome';
import type { DecideContext } from './decide-context';
import { accept, reject } from './decision';
import { isWithdrawReason } from './failure-reason';
import type { WithdrawCharge, WithdrawPastDeadline } from './invoice-commands';
import type { InvoiceDecision } from './invoice-error-code';
import { findAttempt, type Invoice } from './invoice-state';
import { isIsoInstant, millisBetween } from './iso-instant';
import { isNotFoundFinal, notFoundFinalFrom, processingDeadlineProblem } from './provider-deadline';

/**
 * An open attempt given up unsent by the instance that claimed it (invariant 7). Refused
 * once the attempt was re-driven: a sweeper has sent it under its key since, so nobody
 * can say it was not charged.
 */
export function decideWithdraw(
  command: WithdrawCharge,
  invoice: Invoice,
  context: DecideContext,
): InvoiceDecision {
  if (!isWithdrawReason(command.reason)) {
    return reject('INVALID_COMMAND', `unknown withdraw reason ${JSON.stringify(command.reason)}`);
  }
  if (command.reason === 'PROVIDER_DEADLINE_PASSED') {
    return reject('INVALID_COMMAND', 'PROVIDER_DEADLINE_PASSED is given by WithdrawPastDeadline');
  }
  const record = invoice.attempts[command.attempt - 1];
  if (!Number.isInteger(command.attempt) || !record) {
    return noSuchAttempt(invoice, command.attempt);
  }
  if (record.outcome !== 'OPEN') return alreadyEnded(invoice, record);
  if (record.lastDrivenAt !== record.attemptedAt) {
    return reject(
      'ATTEMPT_MISMATCH',
      `${describeAttempt(invoice, record.attempt)} was re-driven at ${record.lastDrivenAt}: it may have been sent, so it cannot be withdrawn`,
    );
  }
  return accept({
    type: 'ChargeWithdrawn',
    data: {
      ...chargeStage(invoice, record, context),
      reason: command.reason,
      message: command.message,
      withdrawnAt: context.now,
    },
  });
}

/**
 * The recovery sweep closes a stale open attempt the provider had no record of when asked
 * after its declared processing deadline had passed since the last possible send
 * (re-drives included: the lookup speaks for every send of the key). Nothing was charged: the
 * attempt ends WITHDRAWN and the invoice is PENDING again, for a new attempt and key.
 */
export function decideWithdrawPastDeadline(
  command: WithdrawPastDeadline,
  invoice: Invoice,
  context: DecideContext,
): InvoiceDecision {
  const problem = processingDeadlineProblem(command.deadline);
  if (problem !== null) return reject('INVALID_COMMAND', problem);
  const record = findAttempt(invoice, command.attempt);
  if (!record) return noSuchAttempt(invoice, command.attempt);
  if (record.outcome !== 'OPEN') return alreadyEnded(invoice, record);
  const { notFoundAt } = command;
  if (!isIsoInstant(notFoundAt) || millisBetween(notFoundAt, context.now) < 0) {
    return reject(
      'INVALID_COMMAND',
      `notFoundAt must be an ISO-8601 instant not after now, got ${JSON.stringify(notFoundAt)}`,
    );
  }
  // The lookup's answer is evidence only if it was asked once nothing could be processed.
  const finalFrom = notFoundFinalFrom(record.lastDrivenAt, command.deadline);
  if (!isNotFoundFinal(record.lastDrivenAt, notFoundAt, command.deadline)) {
    return reject(
      'ATTEMPT_NOT_EXPIRED',
      `${describeAttempt(invoice, record.attempt)} could still be processed by the provider until ${new Date(finalFrom).toISOString()}; the lookup was asked at ${notFoundAt}`,
    );
  }
  return accept({
    type: 'ChargeWithdrawn',
    data: {
      ...chargeStage(invoice, record, context),
      reason: 'PROVIDER_DEADLINE_PASSED',
      message: `the provider has no record of ${record.idempotencyKey}, and its processing deadline passed at ${new Date(finalFrom).toISOString()}: nothing was charged`,
      withdrawnAt: context.now,
    },
  });
}
