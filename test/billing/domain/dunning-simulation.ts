import fc from 'fast-check';
import {
  CHARGE_FAILURE_REASONS,
  decideInvoice,
  dueRetry,
  evolveInvoice,
  initialInvoiceState,
  type ChargeOutcomeReport,
  type InvoiceCommand,
  type InvoiceDecision,
  type InvoiceEvent,
  type InvoiceState,
  type RetryPolicy,
} from '../../../src/billing/domain';
import { INVOICE_ID, T0, issue } from './invoice-test-kit';

/*
 * One invoice under dunning: random steps (runs' claims, provider answers, requeues, voids,
 * policy changes, time passing) while a retry scan fires every SCAN_INTERVAL_MS and claims
 * the retry the domain says is due, as the engine's retry scan does.
 */

export const SCAN_INTERVAL_MS = 15 * 60_000;
const HOUR = 60 * 60_000;

export type DunningStep =
  | { readonly kind: 'claim' }
  | { readonly kind: 'outcome'; readonly report: ChargeOutcomeReport }
  | { readonly kind: 'requeue' }
  | { readonly kind: 'void' }
  | { readonly kind: 'policy'; readonly policy: RetryPolicy }
  /** A stale or racing scanner claims a retry whenever it likes: decide must refuse it. */
  | { readonly kind: 'retryNow'; readonly retry: number }
  | { readonly kind: 'wait'; readonly ms: number };

const delays = fc.array(fc.constantFrom('30m', '1h', '6h', '1d', '3d'), { maxLength: 4 });

/** Any valid policy: delays for the reasons that may be retried, never for the permanent ones. */
export const policies: fc.Arbitrary<RetryPolicy> = fc
  .record({ name: fc.constantFrom('p1', 'p2', 'p3'), funds: delays, network: delays })
  .map(({ name, funds, network }) => ({
    name,
    retries: { INSUFFICIENT_FUNDS: funds, NETWORK: network, CUSTOMER_NOT_FOUND: [] },
  }));

const report: fc.Arbitrary<ChargeOutcomeReport> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'paid' as const }) },
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(...CHARGE_FAILURE_REASONS, 'INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS')
      .map((reason) => ({ kind: 'failed' as const, reason })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknown' as const }) },
);

const step: fc.Arbitrary<DunningStep> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'claim' as const }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('outcome' as const), report }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'requeue' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'void' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('policy' as const), policy: policies }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('retryNow' as const),
      retry: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.constantFrom(60_000, SCAN_INTERVAL_MS, HOUR, 6 * HOUR, 24 * HOUR, 3 * 24 * HOUR),
    }),
  },
);

export const dunningScenarios = fc.record({
  policy: policies,
  steps: fc.array(step, { minLength: 1, maxLength: 40 }),
});

export interface DunningEntry {
  readonly command: InvoiceCommand;
  readonly now: string;
  /** The policy in force when it was decided. */
  readonly policy: RetryPolicy;
  readonly before: InvoiceState;
  readonly decision: InvoiceDecision;
  readonly after: InvoiceState;
  /** Made by the retry scan. */
  readonly byScan: boolean;
}

export interface DunningTrace {
  readonly entries: readonly DunningEntry[];
  readonly log: readonly InvoiceEvent[];
  /** When the simulation ended: retries due before it must have been charged. */
  readonly end: number;
}

export function simulateDunning(
  initial: RetryPolicy,
  steps: readonly DunningStep[],
  decide: typeof decideInvoice = decideInvoice,
): DunningTrace {
  let clock = Date.parse(T0);
  let nextScan = clock + SCAN_INTERVAL_MS;
  let policy = initial;
  let state: InvoiceState = initialInvoiceState;
  const log: InvoiceEvent[] = [];
  const entries: DunningEntry[] = [];
  const run = (command: InvoiceCommand, byScan = false) => {
    const now = new Date(clock).toISOString();
    const decision = decide(command, state, { now, instanceId: 'i', retryPolicy: policy });
    const before = state;
    if (decision.ok) {
      for (const event of decision.events) {
        log.push(event);
        state = evolveInvoice(state, event);
      }
    }
    entries.push({ command, now, policy, before, decision, after: state, byScan });
  };
  /** Time passes; the retry scan fires at each interval on the way. */
  const wait = (ms: number) => {
    const until = clock + ms;
    while (nextScan <= until) {
      clock = nextScan;
      nextScan += SCAN_INTERVAL_MS;
      const due = state.exists ? dueRetry(state, new Date(clock).toISOString()) : null;
      if (due) run(retryClaim(due.retryNumber), true);
    }
    clock = until;
  };
  run(issue());
  for (const each of steps) {
    if (each.kind === 'wait') wait(each.ms);
    else if (each.kind === 'policy') policy = each.policy;
    else run(toCommand(each, state));
  }
  return { entries, log, end: clock };
}

export function retryClaim(retry: number): InvoiceCommand {
  return { type: 'ClaimCharge', invoiceId: INVOICE_ID, runId: 'retry-scan', retry };
}

function toCommand(step: DunningStep, state: InvoiceState): InvoiceCommand {
  const invoiceId = INVOICE_ID;
  switch (step.kind) {
    case 'claim':
      return { type: 'ClaimCharge', invoiceId, runId: '2025-05' };
    case 'outcome': {
      const attempt = state.exists ? Math.max(1, state.attempts.length) : 1;
      return { type: 'RecordChargeOutcome', invoiceId, attempt, outcome: step.report };
    }
    case 'requeue':
      return { type: 'RequeueInvoice', invoiceId, requestedBy: 'ops' };
    case 'void':
      return { type: 'VoidInvoice', invoiceId, reason: 'customer left' };
    case 'retryNow':
      return retryClaim(step.retry);
    default:
      throw new Error(`${step.kind} is not a command`);
  }
}
