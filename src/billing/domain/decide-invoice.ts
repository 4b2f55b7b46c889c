import { decideChargeOutcome } from './decide-charge-outcome';
import type { DecideContext } from './decide-context';
import { cancelledRetry, decideRequeue, decideResolve } from './decide-manual-action';
import { decideStaleAttempt } from './decide-stale-attempt';
import { decideWithdraw, decideWithdrawPastDeadline } from './decide-withdraw';
import { isCalendarDate } from './billing-period';
import { accept, reject } from './decision';
import { describeEntityIdRule, isEntityId } from './entity-id';
import { idempotencyKey } from './idempotency-key';
import { differingFields } from './differing-fields';
import type { ClaimCharge, InvoiceCommand, IssueInvoice, VoidInvoice } from './invoice-commands';
import type { InvoiceDecision } from './invoice-error-code';
import { dueRetry, type Invoice, type InvoiceState } from './invoice-state';
import { isDue } from './is-due';
import { isIsoInstant } from './iso-instant';
import { toMinorUnits } from '../../shared/money';

/**
 * Decides what an invoice command appends, given the state folded from the stream and
 * the context (clock, instance). Pure: the caller appends the events at the revision the
 * state was read at, so a concurrent writer makes the append fail, never the invariants.
 */
export function decideInvoice(
  command: InvoiceCommand,
  state: InvoiceState,
  context: DecideContext,
): InvoiceDecision {
  const invalid = validate(command, state, context);
  if (invalid) return invalid;
  if (command.type === 'IssueInvoice') return decideIssue(command, state, context);
  if (!state.exists)
    return reject('INVOICE_NOT_FOUND', `invoice ${command.invoiceId} does not exist`);
  switch (command.type) {
    case 'ClaimCharge':
      return decideClaim(command, state, context);
    case 'RecordChargeOutcome':
      return decideChargeOutcome(command, state, context);
    case 'RedriveCharge':
    case 'MarkOutcomeUnknown':
      return decideStaleAttempt(command, state, context);
    case 'WithdrawCharge':
      return decideWithdraw(command, state, context);
    case 'WithdrawPastDeadline':
      return decideWithdrawPastDeadline(command, state, context);
    case 'RequeueInvoice':
      return decideRequeue(command, state, context);
    case 'ResolveInvoice':
      return decideResolve(command, state, context);
    case 'VoidInvoice':
      return decideVoid(command, state, context);
  }
}

function validate(
  command: InvoiceCommand,
  state: InvoiceState,
  context: DecideContext,
): InvoiceDecision | null {
  if (!isIsoInstant(context.now)) {
    return reject(
      'INVALID_COMMAND',
      `context.now must be an ISO-8601 instant, got ${JSON.stringify(context.now)}`,
    );
  }
  if (!isEntityId(context.instanceId)) {
    return reject('INVALID_COMMAND', `context.instanceId must be ${describeEntityIdRule()}`);
  }
  if (!isEntityId(command.invoiceId)) {
    return reject(
      'INVALID_COMMAND',
      `invoiceId must be ${describeEntityIdRule()}, got ${JSON.stringify(command.invoiceId)}`,
    );
  }
  if (state.exists && state.invoiceId !== command.invoiceId) {
    // A wiring mistake (wrong stream read): acting on it could charge the wrong invoice.
    return reject(
      'INVALID_COMMAND',
      `command for invoice ${command.invoiceId} was given invoice ${state.invoiceId}`,
    );
  }
  return null;
}

function decideIssue(
  command: IssueInvoice,
  state: InvoiceState,
  context: DecideContext,
): InvoiceDecision {
  if (!isEntityId(command.customerId)) {
    return reject('INVALID_COMMAND', `customerId must be ${describeEntityIdRule()}`);
  }
  if (toMinorUnits(command.amount) <= 0n) {
    return reject(
      'INVALID_COMMAND',
      `invoice ${command.invoiceId} must be for more than 0.00; nothing to charge`,
    );
  }
  if (state.exists) return decideRepeatedIssue(command, state);
  const { invoiceId, customerId, amount, dueDate, description, customer } = command;
  if (customer && !customer.exists) {
    return reject('CUSTOMER_NOT_FOUND', `customer ${customerId} is not registered`);
  }
  if (customer?.exists && customer.currency !== amount.currency) {
    return reject(
      'CURRENCY_MISMATCH',
      `customer ${customerId} is billed in ${customer.currency}, not ${amount.currency}`,
    );
  }
  return accept({
    type: 'InvoiceIssued',
    data: {
      invoiceId,
      customerId,
      amount,
      instanceId: context.instanceId,
      issuedAt: context.now,
      ...(dueDate === undefined ? {} : { dueDate }),
      ...(description === undefined ? {} : { description }),
    },
  });
}

/** The same facts again: nothing to append (the caller answers "exists"); others: a conflict. */
function decideRepeatedIssue(command: IssueInvoice, invoice: Invoice): InvoiceDecision {
  const differ = differingFields(
    {
      customerId: invoice.customerId,
      amount: invoice.amount,
      dueDate: invoice.dueDate,
      description: invoice.description,
    },
    {
      customerId: command.customerId,
      amount: command.amount,
      dueDate: command.dueDate ?? null,
      description: command.description ?? null,
    },
  );
  if (differ.length === 0) return accept();
  return reject(
    'ALREADY_ISSUED',
    `invoice ${command.invoiceId} is already issued (${invoice.status}) with another ${differ.join(', ')}`,
  );
}

/** Only what has not been charged and is not being charged: PENDING or FAILED. */
function decideVoid(
  command: VoidInvoice,
  invoice: Invoice,
  context: DecideContext,
): InvoiceDecision {
  if (typeof command.reason !== 'string' || command.reason.trim() === '') {
    return reject('INVALID_COMMAND', 'reason must say why the invoice is voided');
  }
  if (invoice.status !== 'PENDING' && invoice.status !== 'FAILED') {
    return reject(
      'NOT_VOIDABLE',
      `invoice ${invoice.invoiceId} is ${invoice.status}; only PENDING or FAILED invoices can be voided`,
    );
  }
  return accept({
    type: 'InvoiceVoided',
    data: {
      invoiceId: invoice.invoiceId,
      reason: command.reason,
      instanceId: context.instanceId,
      at: context.now,
      ...cancelledRetry(invoice),
    },
  });
}

/**
 * The claim. Only from PENDING: never a second attempt while one is open (invariant 1),
 * never a charge of a PAID invoice, never an automatic retry of a FAILED or UNKNOWN one;
 * and never before the invoice is due on the run's billing date.
 */
function decideClaim(
  command: ClaimCharge,
  invoice: Invoice,
  context: DecideContext,
): InvoiceDecision {
  if (!isEntityId(command.runId))
    return reject('INVALID_COMMAND', `runId must be ${describeEntityIdRule()}`);
  if (command.retry !== undefined) {
    const refused = refuseRetry(command.retry, invoice, context.now);
    if (refused) return refused;
  } else if (invoice.status !== 'PENDING') {
    return reject(
      'NOT_PENDING',
      `invoice ${invoice.invoiceId} is ${invoice.status}${describeOpenAttempt(invoice)}; only PENDING invoices can be charged`,
    );
  }
  if (command.dueBy !== undefined && !isCalendarDate(command.dueBy)) {
    return reject('INVALID_COMMAND', `dueBy must be a calendar date YYYY-MM-DD`);
  }
  if (command.dueBy !== undefined && !isDue(invoice, command.dueBy)) {
    return reject(
      'NOT_DUE',
      `invoice ${invoice.invoiceId} is due on ${invoice.dueDate}, after the run's billing date ${command.dueBy}`,
    );
  }
  const attempt = invoice.attempts.length + 1;
  return accept({
    type: 'ChargeAttempted',
    data: {
      invoiceId: invoice.invoiceId,
      attempt,
      idempotencyKey: idempotencyKey(invoice.invoiceId, attempt),
      runId: command.runId,
      instanceId: context.instanceId,
      customerId: invoice.customerId,
      amount: invoice.amount,
      attemptedAt: context.now,
      ...(command.retry === undefined ? {} : { retry: command.retry }),
    },
  });
}

/** A retry only while the invoice is FAILED with exactly that retry due (manual actions win). */
function refuseRetry(retry: number, invoice: Invoice, now: string): InvoiceDecision | null {
  const due = dueRetry(invoice, now);
  if (due?.retryNumber === retry) return null;
  const next = invoice.nextRetry;
  const why =
    invoice.status !== 'FAILED'
      ? `is ${invoice.status}${describeOpenAttempt(invoice)}`
      : next === null
        ? 'has no retry scheduled'
        : next.retryNumber !== retry
          ? `has retry ${next.retryNumber} scheduled, not ${retry}`
          : `has retry ${retry} due at ${next.at}, not yet`;
  return reject('RETRY_NOT_DUE', `invoice ${invoice.invoiceId} ${why}; retry ${retry} not charged`);
}

function describeOpenAttempt(invoice: Invoice): string {
  const open = invoice.openAttempt;
  return open
    ? ` (attempt ${open.attempt} by instance ${open.instanceId} since ${open.lastDrivenAt})`
    : '';
}
