import {
  evolveInvoice,
  decideInvoice,
  initialInvoiceState,
  type DecideContext,
  type InvoiceCommand,
  type InvoiceDecision,
  type InvoiceErrorCode,
  type InvoiceEvent,
  type InvoiceState,
  type Invoice,
  type Money,
  type WithdrawCharge,
  type WithdrawReason,
} from '../../../src/billing/domain';

export const T0 = '2025-05-01T00:00:00.000Z';
export const INVOICE_ID = '42';
export const EUR_10: Money = { value: '10.00', currency: 'EUR' };

export function at(now: string, instanceId = 'instance-a'): DecideContext {
  return { now, instanceId };
}

/** `T0` plus some minutes, as an ISO instant. */
export function minutesAfterT0(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

export function issue(invoiceId = INVOICE_ID): InvoiceCommand {
  return { type: 'IssueInvoice', invoiceId, customerId: 'customer-7', amount: EUR_10 };
}

export function claim(runId = '2025-05'): InvoiceCommand {
  return { type: 'ClaimCharge', invoiceId: INVOICE_ID, runId };
}

export function paid(attempt: number): InvoiceCommand {
  return { type: 'RecordChargeOutcome', invoiceId: INVOICE_ID, attempt, outcome: { kind: 'paid' } };
}

export function failed(
  attempt: number,
  reason: 'INSUFFICIENT_FUNDS' | 'NETWORK' | 'CUSTOMER_NOT_FOUND' = 'INSUFFICIENT_FUNDS',
): InvoiceCommand {
  return {
    type: 'RecordChargeOutcome',
    invoiceId: INVOICE_ID,
    attempt,
    outcome: { kind: 'failed', reason },
  };
}

export function unknown(attempt: number): InvoiceCommand {
  return {
    type: 'RecordChargeOutcome',
    invoiceId: INVOICE_ID,
    attempt,
    outcome: { kind: 'unknown' },
  };
}

export function markUnknown(attempt: number, attemptTimeoutMs = 60_000): InvoiceCommand {
  return { type: 'MarkOutcomeUnknown', invoiceId: INVOICE_ID, attempt, attemptTimeoutMs };
}

export function redrive(attempt: number, attemptTimeoutMs = 60_000): InvoiceCommand {
  return { type: 'RedriveCharge', invoiceId: INVOICE_ID, attempt, attemptTimeoutMs };
}

export function withdraw(
  attempt: number,
  reason: WithdrawReason = 'PROVIDER_UNAVAILABLE',
): WithdrawCharge {
  return {
    type: 'WithdrawCharge',
    invoiceId: INVOICE_ID,
    attempt,
    reason,
    message: 'the breaker is open',
  };
}

export function requeue(): InvoiceCommand {
  return {
    type: 'RequeueInvoice',
    invoiceId: INVOICE_ID,
    requestedBy: 'ops@example.com',
    note: 'card updated',
  };
}

export function resolve(outcome: 'PAID' | 'FAILED', attempt?: number): InvoiceCommand {
  return {
    type: 'ResolveInvoice',
    invoiceId: INVOICE_ID,
    outcome,
    note: 'checked the provider dashboard',
    resolvedBy: 'ops@example.com',
    ...(attempt === undefined ? {} : { attempt }),
  };
}

export function expectAccepted(decision: InvoiceDecision): readonly InvoiceEvent[] {
  if (!decision.ok)
    throw new Error(`expected acceptance, got ${decision.error.code}: ${decision.error.message}`);
  return decision.events;
}

export function expectRejected(decision: InvoiceDecision, code: InvoiceErrorCode): string {
  if (decision.ok)
    throw new Error(
      `expected ${code}, got events ${decision.events.map((e) => e.type).join(', ')}`,
    );
  expect(decision.error.code).toBe(code);
  return decision.error.message;
}

export interface Given {
  readonly state: InvoiceState;
  readonly events: readonly InvoiceEvent[];
}

/** Runs commands that must all be accepted, a minute apart from T0; returns state and log. */
export function given(...commands: InvoiceCommand[]): Given {
  let state: InvoiceState = initialInvoiceState;
  const events: InvoiceEvent[] = [];
  commands.forEach((command, index) => {
    for (const event of expectAccepted(decideInvoice(command, state, at(minutesAfterT0(index))))) {
      events.push(event);
      state = evolveInvoice(state, event);
    }
  });
  return { state, events };
}

export function invoiceOf(state: InvoiceState): Invoice {
  if (!state.exists) throw new Error('expected an issued invoice');
  return state;
}
