import { chargeStage, describeAttempt } from './charge-stage';
import { alreadyEnded, noSuchAttempt } from './decide-charge-outcome';
import type { DecideContext } from './decide-context';
import { accept, reject } from './decision';
import { isWithdrawReason } from './failure-reason';
import type { WithdrawCharge } from './invoice-commands';
import type { InvoiceDecision } from './invoice-error-code';
import type { Invoice } from './invoice-state';

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
