import { chargeStage, describeAttempt } from './charge-stage';
import { alreadyEnded, noSuchAttempt } from './decide-charge-outcome';
import { accept, reject } from './decision';
import type { DecideContext } from './decide-context';
import type { MarkOutcomeUnknown, RedriveCharge } from './invoice-commands';
import type { InvoiceDecision } from './invoice-error-code';
import { findAttempt, type ChargeAttemptRecord, type Invoice } from './invoice-state';
import { millisBetween } from './iso-instant';

/**
 * The recovery sweep's two moves on an attempt left open (invariant 2: every attempt
 * ends). Both re-check, against the stream, that the attempt is still open and past the
 * timeout: the sweep reads a read model that may lag, and another sweeper may be first.
 */
export function decideStaleAttempt(
  command: RedriveCharge | MarkOutcomeUnknown,
  invoice: Invoice,
  context: DecideContext,
): InvoiceDecision {
  if (!Number.isFinite(command.attemptTimeoutMs) || command.attemptTimeoutMs <= 0) {
    return reject(
      'INVALID_COMMAND',
      `attemptTimeoutMs must be a positive number, got ${command.attemptTimeoutMs}`,
    );
  }
  const record = findAttempt(invoice, command.attempt);
  if (!record) return noSuchAttempt(invoice, command.attempt);
  if (record.outcome !== 'OPEN') return alreadyEnded(invoice, record);
  const openFor = millisBetween(record.lastDrivenAt, context.now);
  if (openFor < command.attemptTimeoutMs)
    return notExpired(invoice, record, openFor, command.attemptTimeoutMs);
  const stage = chargeStage(invoice, record, context);
  if (command.type === 'RedriveCharge') {
    return accept({ type: 'ChargeRedriven', data: { ...stage, redrivenAt: context.now } });
  }
  return accept({
    type: 'ChargeOutcomeUnknown',
    data: {
      ...stage,
      reason: 'ATTEMPT_TIMED_OUT',
      message: `attempt open since ${record.lastDrivenAt}, longer than the ${command.attemptTimeoutMs} ms timeout`,
      at: context.now,
    },
  });
}

function notExpired(
  invoice: Invoice,
  record: ChargeAttemptRecord,
  openFor: number,
  timeout: number,
): InvoiceDecision {
  return reject(
    'ATTEMPT_NOT_EXPIRED',
    `${describeAttempt(invoice, record.attempt)} has been open for ${openFor} ms, less than the ${timeout} ms timeout`,
  );
}
