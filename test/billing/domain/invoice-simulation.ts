import fc from 'fast-check';
import {
  CHARGE_FAILURE_REASONS,
  decideInvoice,
  evolveInvoice,
  initialInvoiceState,
  type ChargeOutcomeReport,
  type InvoiceCommand,
  type IssueInvoice,
  type InvoiceDecision,
  type InvoiceEvent,
  type InvoiceState,
} from '../../../src/billing/domain';
import { INVOICE_ID, T0, issue } from './invoice-test-kit';

/*
 * Random command sequences for one invoice. Steps are abstract ("the latest attempt",
 * "the next attempt") and become commands against the state at run time, so sequences
 * hit duplicates, stale attempts and every status, not just random numbers.
 */

export type Decider = typeof decideInvoice;

export const ATTEMPT_TIMEOUT_MS = 5 * 60_000;

type AttemptRef = 'latest' | 'previous' | 'next' | 'first';

export type Step =
  | { readonly kind: 'issue' }
  | { readonly kind: 'issueOther' }
  | { readonly kind: 'void' }
  | { readonly kind: 'claim' }
  | { readonly kind: 'outcome'; readonly ref: AttemptRef; readonly report: ChargeOutcomeReport }
  | { readonly kind: 'redrive'; readonly ref: AttemptRef }
  | { readonly kind: 'markUnknown'; readonly ref: AttemptRef }
  | { readonly kind: 'requeue' }
  | {
      readonly kind: 'resolve';
      readonly outcome: 'PAID' | 'FAILED';
      readonly ref: AttemptRef | null;
    };

export interface TimedStep {
  readonly step: Step;
  /** How long passes before this step: sometimes past the attempt timeout. */
  readonly advanceMs: number;
}

const ref = fc.constantFrom<AttemptRef>('latest', 'latest', 'latest', 'previous', 'next', 'first');
const report: fc.Arbitrary<ChargeOutcomeReport> = fc.oneof(
  fc.constant({ kind: 'paid' as const }),
  fc.constantFrom(...CHARGE_FAILURE_REASONS).map((reason) => ({ kind: 'failed' as const, reason })),
  fc.constant({ kind: 'unknown' as const }),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'issue' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'issueOther' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'void' as const }) },
  { weight: 6, arbitrary: fc.constant({ kind: 'claim' as const }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('outcome' as const), ref, report }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('redrive' as const), ref }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('markUnknown' as const), ref }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'requeue' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('resolve' as const),
      outcome: fc.constantFrom<'PAID' | 'FAILED'>('PAID', 'FAILED'),
      ref: fc.option(ref, { nil: null }),
    }),
  },
);

const timedStep: fc.Arbitrary<TimedStep> = fc.record({
  step,
  advanceMs: fc.constantFrom(0, 1_000, ATTEMPT_TIMEOUT_MS - 1, ATTEMPT_TIMEOUT_MS, 60 * 60_000),
});

/** A scenario: the invoice is issued first, then up to 40 random steps. */
export const scenarios = fc.array(timedStep, { minLength: 1, maxLength: 40 });

export interface TraceEntry {
  readonly command: InvoiceCommand;
  readonly now: string;
  readonly before: InvoiceState;
  readonly decision: InvoiceDecision;
  readonly after: InvoiceState;
  /** The whole log after this entry. */
  readonly log: readonly InvoiceEvent[];
}

export interface Trace {
  readonly entries: readonly TraceEntry[];
  readonly log: readonly InvoiceEvent[];
  readonly final: InvoiceState;
}

/**
 * Runs a scenario through `decide` and evolve, then lets the sweep end any attempt left
 * open (a day later), as production would: every attempt must be able to end.
 */
export function simulate(decide: Decider, steps: readonly TimedStep[]): Trace {
  let clock = Date.parse(T0);
  let state: InvoiceState = initialInvoiceState;
  const log: InvoiceEvent[] = [];
  const entries: TraceEntry[] = [];
  const run = (command: InvoiceCommand, instanceId: string) => {
    const now = new Date(clock).toISOString();
    const decision = decide(command, state, { now, instanceId });
    const before = state;
    if (decision.ok) {
      for (const event of decision.events) {
        log.push(event);
        state = evolveInvoice(state, event);
      }
    }
    entries.push({ command, now, before, decision, after: state, log: [...log] });
  };
  run(issue(), 'instance-a');
  steps.forEach(({ step, advanceMs }, index) => {
    clock += advanceMs;
    run(toCommand(step, state), `instance-${index % 3}`);
  });
  if (state.exists && state.openAttempt) {
    clock += 24 * 60 * 60_000;
    run(sweep(state.openAttempt.attempt), 'sweeper');
  }
  return { entries, log, final: state };
}

function sweep(attempt: number): InvoiceCommand {
  return {
    type: 'MarkOutcomeUnknown',
    invoiceId: INVOICE_ID,
    attempt,
    attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
  };
}

function toCommand(step: Step, state: InvoiceState): InvoiceCommand {
  const invoiceId = INVOICE_ID;
  const attempts = state.exists ? state.attempts.length : 0;
  const attemptOf = (which: AttemptRef) =>
    ({ latest: Math.max(attempts, 1), previous: attempts - 1, next: attempts + 1, first: 1 })[
      which
    ];
  switch (step.kind) {
    case 'issue':
      return issue();
    case 'issueOther':
      return { ...(issue() as IssueInvoice), amount: { value: '99.99', currency: 'EUR' } };
    case 'void':
      return { type: 'VoidInvoice', invoiceId, reason: 'duplicate' };
    case 'claim':
      return { type: 'ClaimCharge', invoiceId, runId: '2025-05' };
    case 'outcome':
      return {
        type: 'RecordChargeOutcome',
        invoiceId,
        attempt: attemptOf(step.ref),
        outcome: step.report,
      };
    case 'redrive':
      return {
        type: 'RedriveCharge',
        invoiceId,
        attempt: attemptOf(step.ref),
        attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      };
    case 'markUnknown':
      return sweep(attemptOf(step.ref));
    case 'requeue':
      return { type: 'RequeueInvoice', invoiceId, requestedBy: 'ops' };
    case 'resolve':
      return {
        type: 'ResolveInvoice',
        invoiceId,
        outcome: step.outcome,
        note: 'checked with the provider',
        ...(step.ref === null ? {} : { attempt: attemptOf(step.ref) }),
      };
  }
}
