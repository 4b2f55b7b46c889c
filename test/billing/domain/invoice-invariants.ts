import { isDeepStrictEqual } from 'node:util';
import {
  classifyFailure,
  findAttempt,
  foldInvoice,
  idempotencyKey,
  type Invoice,
  type InvoiceEvent,
  type InvoiceState,
} from '../../../src/billing/domain';
import type { Trace, TraceEntry } from './invoice-simulation';

/*
 * The invariants of docs/design.md §2 as checks over a simulated trace. Each throws on the first
 * violation. Where it can, a check reads the raw event log rather than the domain's own
 * state, so a bug in evolve cannot hide a bug in decide.
 */

function fail(message: string): never {
  throw new Error(message);
}

const OUTCOME_TYPES = new Set(['InvoicePaid', 'ChargeFailed', 'ChargeOutcomeUnknown']);

function attemptOf(event: InvoiceEvent): number | null {
  return 'attempt' in event.data ? event.data.attempt : null;
}

/** Invariant 1, from the log: a ChargeAttempted only when no attempt is open. */
export function neverTwoOpenAttempts(trace: Trace): void {
  const open = new Set<number>();
  for (const event of trace.log) {
    const attempt = attemptOf(event);
    if (event.type === 'ChargeAttempted') {
      if (open.size > 0)
        fail(`ChargeAttempted ${attempt} while attempt ${[...open].join(',')} is open`);
      open.add(event.data.attempt);
    } else if (OUTCOME_TYPES.has(event.type) && attempt !== null) {
      open.delete(attempt);
    }
  }
}

/** Once PAID, always PAID; and from the log: no new attempt after money was taken. */
export function paidIsFinal(trace: Trace): void {
  let wasPaid = false;
  for (const { after } of trace.entries) {
    const status = after.exists ? after.status : null;
    if (wasPaid && status !== 'PAID') fail(`status went from PAID to ${status}`);
    wasPaid = status === 'PAID';
  }
  let paidEvent: string | null = null;
  for (const event of trace.log) {
    if (paidEvent && event.type === 'ChargeAttempted') fail(`ChargeAttempted after ${paidEvent}`);
    if (
      event.type === 'InvoicePaid' ||
      (event.type === 'InvoiceResolved' && event.data.outcome === 'PAID')
    ) {
      paidEvent = event.type;
    }
  }
}

function statusBefore(entry: TraceEntry): string | null {
  return entry.before.exists ? entry.before.status : null;
}

/** Requeue is accepted from FAILED, and only from FAILED. */
export function requeueOnlyFromFailed(trace: Trace): void {
  for (const entry of trace.entries.filter((each) => each.command.type === 'RequeueInvoice')) {
    const fromFailed = statusBefore(entry) === 'FAILED';
    if (entry.decision.ok !== fromFailed) {
      fail(`requeue from ${statusBefore(entry)} was ${entry.decision.ok ? 'accepted' : 'refused'}`);
    }
  }
}

/** Resolve is accepted only from UNKNOWN, and from UNKNOWN when aimed at the right attempt. */
export function resolveOnlyFromUnknown(trace: Trace): void {
  for (const entry of trace.entries) {
    const { command, before, decision } = entry;
    if (command.type !== 'ResolveInvoice') continue;
    const fromUnknown = statusBefore(entry) === 'UNKNOWN';
    if (decision.ok && !fromUnknown) fail(`resolve accepted from ${statusBefore(entry)}`);
    const aimed =
      command.attempt === undefined ||
      (before.exists && command.attempt === before.attempts.length);
    if (fromUnknown && aimed && !decision.ok)
      fail(`resolve refused from UNKNOWN: ${decision.error.message}`);
  }
}

const ALLOWED_ENDINGS = new Set([
  'InvoicePaid',
  'ChargeFailed',
  'ChargeOutcomeUnknown',
  'ChargeOutcomeUnknown,InvoicePaid',
  'ChargeOutcomeUnknown,ChargeFailed',
]);

/** Invariant 2 and 3, from the log: each attempt has one outcome, then at most one late truth. */
export function everyAttemptEndsOnce(trace: Trace): void {
  const endings = new Map<number, string[]>();
  for (const event of trace.log) {
    const attempt = attemptOf(event);
    if (event.type === 'ChargeAttempted') endings.set(event.data.attempt, []);
    else if (OUTCOME_TYPES.has(event.type) && attempt !== null) {
      const seen =
        endings.get(attempt) ?? fail(`${event.type} for attempt ${attempt}, which was never made`);
      seen.push(event.type);
    }
  }
  for (const [attempt, seen] of endings) {
    if (!ALLOWED_ENDINGS.has(seen.join(',')))
      fail(`attempt ${attempt} ended with [${seen.join(', ')}]`);
  }
}

/** Invariant 3: a provider's answer for an attempt marked UNKNOWN is always recorded. */
export function lateTruthIsNeverDropped(trace: Trace): void {
  for (const { command, before, decision } of trace.entries) {
    if (
      command.type !== 'RecordChargeOutcome' ||
      command.outcome.kind === 'unknown' ||
      !before.exists
    )
      continue;
    const record = findAttempt(before, command.attempt);
    const awaitingTruth = record?.outcome === 'UNKNOWN' && record.providerSaid === null;
    if (awaitingTruth && !decision.ok)
      fail(`late truth for attempt ${command.attempt} dropped: ${decision.error.code}`);
  }
}

/** Invariant 4: every charge event names its attempt, key, run and the writing instance. */
export function auditTrailIsComplete(trace: Trace): void {
  const runs = new Map<number, string>();
  for (const entry of trace.entries) {
    if (!entry.decision.ok) continue;
    for (const event of entry.decision.events) {
      const data = event.data as Record<string, unknown>;
      if (data.instanceId === undefined || data.instanceId === '')
        fail(`${event.type} has no instance`);
      if (['InvoiceIssued', 'InvoiceRequeued', 'InvoiceVoided'].includes(event.type)) continue;
      const attempt = data.attempt as number;
      if (event.type === 'ChargeAttempted') runs.set(attempt, event.data.runId);
      if (data.idempotencyKey !== idempotencyKey('42', attempt))
        fail(`${event.type} has key ${data.idempotencyKey}`);
      if (data.runId !== runs.get(attempt)) fail(`${event.type} names run ${data.runId}`);
    }
  }
}

/**
 * Consistency: the state decide was given is the replay of the log (also after a JSON
 * round trip, as a store would return it), a refusal changes nothing, and the events of
 * an accepted command evolve into the state the command promises.
 */
export function evolveAgreesWithDecide(trace: Trace): void {
  for (const entry of trace.entries) {
    if (!isDeepStrictEqual(entry.after, foldInvoice(entry.log)))
      fail('state differs from a replay of the log');
    const replayed = foldInvoice(JSON.parse(JSON.stringify(entry.log)) as InvoiceEvent[]);
    if (!isDeepStrictEqual(entry.after, replayed))
      fail('state differs from a replay of the JSON log');
    if (!entry.decision.ok) {
      if (entry.after !== entry.before) fail('a refused command changed the state');
      continue;
    }
    // Issuing the same invoice again is answered "exists" and appends nothing.
    const repeat = entry.command.type === 'IssueInvoice' && entry.before.exists;
    if (repeat) {
      if (entry.decision.events.length !== 0 || entry.after !== entry.before)
        fail('a repeated issue with the same facts changed the invoice');
      continue;
    }
    if (entry.decision.events.length !== 1)
      fail(`${entry.command.type} produced ${entry.decision.events.length} events`);
    checkPromise(entry, entry.decision.events[0]);
  }
}

function invoice(state: InvoiceState): Invoice {
  return state.exists ? state : fail('expected an invoice');
}

function checkPromise(entry: TraceEntry, event: InvoiceEvent): void {
  const { command, now } = entry;
  const expect = (ok: boolean, what: string) => ok || fail(`${command.type}: ${what}`);
  if (command.type === 'IssueInvoice') {
    expect(
      !entry.before.exists && invoice(entry.after).status === 'PENDING',
      'issued invoice is not PENDING',
    );
    return;
  }
  const before = invoice(entry.before);
  const after = invoice(entry.after);
  switch (command.type) {
    case 'ClaimCharge': {
      const attempt = before.attempts.length + 1;
      expect(
        event.type === 'ChargeAttempted' && event.data.attempt === attempt,
        'wrong attempt number',
      );
      expect(
        after.status === 'PROCESSING' && after.openAttempt?.attempt === attempt,
        'attempt not open',
      );
      expect(
        after.openAttempt?.idempotencyKey === idempotencyKey(before.invoiceId, attempt),
        'wrong key',
      );
      return;
    }
    case 'RecordChargeOutcome': {
      const record = findAttempt(after, command.attempt) ?? fail('no such attempt');
      const outcome = command.outcome;
      if (outcome.kind === 'unknown') {
        expect(
          findAttempt(before, command.attempt)?.outcome === 'OPEN',
          'unknown for an attempt not open',
        );
        expect(record.outcome === 'UNKNOWN', 'attempt not UNKNOWN');
      } else if (outcome.kind === 'paid') {
        expect(
          event.type === 'InvoicePaid' && record.providerSaid === 'PAID',
          'payment not recorded',
        );
        expect(
          after.status === (after.openAttempt ? 'PROCESSING' : 'PAID'),
          `status ${after.status} after payment`,
        );
      } else {
        expect(
          event.type === 'ChargeFailed' && record.providerSaid === 'FAILED',
          'failure not recorded',
        );
        expect(record.failureReason === outcome.reason, 'wrong reason');
        expect(
          after.lastFailure?.retryable === classifyFailure(outcome.reason).retryable,
          'wrong retryable',
        );
      }
      return;
    }
    case 'RedriveCharge':
    case 'MarkOutcomeUnknown': {
      const stale = findAttempt(before, command.attempt) ?? fail('no such attempt');
      expect(
        Date.parse(now) - Date.parse(stale.lastDrivenAt) >= command.attemptTimeoutMs,
        'attempt not expired',
      );
      const record = findAttempt(after, command.attempt) ?? fail('no such attempt');
      if (command.type === 'RedriveCharge') {
        expect(
          after.status === 'PROCESSING' && record.lastDrivenAt === now,
          'redrive did not restart the clock',
        );
      } else {
        expect(
          record.outcome === 'UNKNOWN' && after.status !== 'PROCESSING',
          'attempt not marked UNKNOWN',
        );
      }
      return;
    }
    case 'RequeueInvoice':
      expect(after.status === 'PENDING', `status ${after.status} after requeue`);
      return;
    case 'ResolveInvoice':
      expect(
        after.status === command.outcome,
        `status ${after.status} after resolving ${command.outcome}`,
      );
      return;
    case 'VoidInvoice':
      expect(
        (before.status === 'PENDING' || before.status === 'FAILED') && after.status === 'VOID',
        `void from ${before.status} gave ${after.status}`,
      );
      return;
  }
}
