import {
  decideInvoice,
  type ChargeAttemptRecord,
  type Invoice,
  type InvoiceCommand,
  type InvoiceState,
} from '../../../src/billing/domain';
import type { Decider } from './invoice-simulation';

/*
 * Deliberately broken versions of decideInvoice, each breaking one rule, mostly by lying
 * to the real decide about the state. The property tests must catch every one of them:
 * that is the evidence the properties can fail.
 */

function withAttempt(
  invoice: Invoice,
  attempt: number,
  patch: Partial<ChargeAttemptRecord>,
): Invoice {
  return {
    ...invoice,
    attempts: invoice.attempts.map((r) => (r.attempt === attempt ? { ...r, ...patch } : r)),
  };
}

function recordOf(state: InvoiceState, command: InvoiceCommand): ChargeAttemptRecord | undefined {
  return state.exists && 'attempt' in command && command.attempt !== undefined
    ? state.attempts[command.attempt - 1]
    : undefined;
}

const whenever =
  (applies: (command: InvoiceCommand, state: Invoice) => boolean, lie: Decider): Decider =>
  (command, state, context) =>
    state.exists && applies(command, state)
      ? lie(command, state, context)
      : decideInvoice(command, state, context);

function pretendStatus(status: Invoice['status']): Decider {
  return (command, state, context) =>
    decideInvoice(command, { ...(state as Invoice), status }, context);
}

export const BROKEN_DECIDERS: Record<string, Decider> = {
  'claims while an attempt is open': whenever(
    (c, s) => c.type === 'ClaimCharge' && s.status === 'PROCESSING',
    pretendStatus('PENDING'),
  ),
  'claims a PAID invoice': whenever(
    (c, s) => c.type === 'ClaimCharge' && s.status === 'PAID',
    pretendStatus('PENDING'),
  ),
  'requeues from any status': whenever((c) => c.type === 'RequeueInvoice', pretendStatus('FAILED')),
  'resolves from any status': whenever(
    (c, s) => c.type === 'ResolveInvoice' && s.attempts.length > 0,
    pretendStatus('UNKNOWN'),
  ),
  'accepts a second provider answer': whenever(
    (c, s) =>
      c.type === 'RecordChargeOutcome' &&
      c.outcome.kind !== 'unknown' &&
      !!recordOf(s, c)?.providerSaid,
    (c, s, ctx) =>
      decideInvoice(
        c,
        withAttempt(s as Invoice, (c as { attempt: number }).attempt, { providerSaid: null }),
        ctx,
      ),
  ),
  'accepts a second unknown': whenever(
    (c, s) => c.type === 'RecordChargeOutcome' && c.outcome.kind === 'unknown' && !!recordOf(s, c),
    (c, s, ctx) =>
      decideInvoice(
        c,
        withAttempt(s as Invoice, (c as { attempt: number }).attempt, { outcome: 'OPEN' }),
        ctx,
      ),
  ),
  'drops a late truth': whenever(
    (c, s) => c.type === 'RecordChargeOutcome' && recordOf(s, c)?.outcome === 'UNKNOWN',
    () => ({ ok: false, error: { code: 'OUTCOME_ALREADY_RECORDED', message: 'dropped' } }),
  ),
  'records a failure as a payment': whenever(
    (c) => c.type === 'RecordChargeOutcome' && c.outcome.kind === 'failed',
    (c, s, ctx) => decideInvoice({ ...c, outcome: { kind: 'paid' } } as InvoiceCommand, s, ctx),
  ),
  'sweeps before the timeout': whenever(
    (c) => c.type === 'MarkOutcomeUnknown',
    (c, s, ctx) => decideInvoice({ ...c, attemptTimeoutMs: 1 } as InvoiceCommand, s, ctx),
  ),
  'reuses the first idempotency key': (command, state, context) => {
    const decision = decideInvoice(command, state, context);
    if (!decision.ok || command.type !== 'ClaimCharge') return decision;
    const events = decision.events.map((e) => ({
      ...e,
      data: { ...e.data, idempotencyKey: 'invoice-42-attempt-1' },
    }));
    return { ok: true, events: events as typeof decision.events };
  },
};
