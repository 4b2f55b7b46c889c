import fc from 'fast-check';
import { decideInvoice } from '../../../src/billing/domain';
import { BROKEN_DECIDERS } from './broken-deciders';
import {
  auditTrailIsComplete,
  everyAttemptEndsOnce,
  evolveAgreesWithDecide,
  lateTruthIsNeverDropped,
  neverTwoOpenAttempts,
  paidIsFinal,
  requeueOnlyFromFailed,
  resolveOnlyFromUnknown,
} from './invoice-invariants';
import { scenarios, simulate, type Decider, type Trace } from './invoice-simulation';

type Check = (trace: Trace) => void;

const PROPERTIES: [string, Check][] = [
  ['never a second ChargeAttempted while one is open', neverTwoOpenAttempts],
  ['PAID is final', paidIsFinal],
  ['requeue is accepted from FAILED and only from FAILED', requeueOnlyFromFailed],
  ['resolve is accepted only from UNKNOWN', resolveOnlyFromUnknown],
  ['every attempt ends with one outcome and at most one late truth', everyAttemptEndsOnce],
  ['a late truth after UNKNOWN is never dropped', lateTruthIsNeverDropped],
  ['every charge event carries attempt, key, run and instance', auditTrailIsComplete],
  [
    'evolve over the events decide produced gives the state decide promised',
    evolveAgreesWithDecide,
  ],
];

/** Which property must catch which broken decide. */
const MUST_CATCH: [string, Check][] = [
  ['claims while an attempt is open', neverTwoOpenAttempts],
  ['claims a PAID invoice', paidIsFinal],
  ['requeues from any status', requeueOnlyFromFailed],
  ['resolves from any status', resolveOnlyFromUnknown],
  ['accepts a second provider answer', everyAttemptEndsOnce],
  ['accepts a second unknown', everyAttemptEndsOnce],
  ['drops a late truth', lateTruthIsNeverDropped],
  ['records a failure as a payment', evolveAgreesWithDecide],
  ['sweeps before the timeout', evolveAgreesWithDecide],
  ['reuses the first idempotency key', auditTrailIsComplete],
];

describe('decideInvoice over random command sequences', () => {
  it.each(PROPERTIES)('%s', (_, check) => {
    fc.assert(
      fc.property(scenarios, (steps) => check(simulate(decideInvoice, steps))),
      { numRuns: 400 },
    );
  });

  it('reaches every status and every kind of refusal, so the properties are not vacuous', () => {
    const statuses = new Set<string>();
    const codes = new Set<string>();
    const lateTruths = new Set<string>();
    fc.assert(
      fc.property(scenarios, (steps) => {
        const trace = simulate(decideInvoice, steps);
        for (const entry of trace.entries) {
          if (entry.after.exists) statuses.add(entry.after.status);
          if (!entry.decision.ok) codes.add(entry.decision.error.code);
        }
        for (const kind of lateTruthKinds(trace)) lateTruths.add(kind);
      }),
      { numRuns: 400, seed: 7 },
    );
    expect([...lateTruths].sort()).toEqual([
      'ChargeFailed after InvoiceResolved',
      'ChargeFailed after unknown',
      'InvoicePaid after InvoiceResolved',
      'InvoicePaid after unknown',
    ]);
    expect([...statuses].sort()).toEqual([
      'FAILED',
      'PAID',
      'PENDING',
      'PROCESSING',
      'UNKNOWN',
      'VOID',
    ]);
    expect([...codes].sort()).toEqual([
      'ALREADY_ISSUED',
      'ATTEMPT_MISMATCH',
      'ATTEMPT_NOT_EXPIRED',
      'NOT_FAILED',
      'NOT_PENDING',
      'NOT_UNKNOWN',
      'NOT_VOIDABLE',
      'OUTCOME_ALREADY_RECORDED',
      'OUTCOME_CONFLICT',
    ]);
  });
});

/** The kinds of late truth in a trace: a provider answer after UNKNOWN, and after a resolution. */
function lateTruthKinds(trace: Trace): string[] {
  const unknown = new Set<number>();
  const resolved = new Set<number>();
  const kinds: string[] = [];
  for (const event of trace.log) {
    if (event.type === 'ChargeOutcomeUnknown') unknown.add(event.data.attempt);
    if (event.type === 'InvoiceResolved') resolved.add(event.data.attempt);
    if (event.type !== 'InvoicePaid' && event.type !== 'ChargeFailed') continue;
    if (resolved.has(event.data.attempt)) kinds.push(`${event.type} after InvoiceResolved`);
    else if (unknown.has(event.data.attempt)) kinds.push(`${event.type} after unknown`);
  }
  return kinds;
}

describe('the properties catch a broken decide', () => {
  /** Whether `check` finds a counterexample for `decide`; a crash in the simulation does not count. */
  function catches(decide: Decider, check: Check): boolean {
    const property = fc.property(scenarios, (steps) => {
      let trace: Trace;
      try {
        trace = simulate(decide, steps);
      } catch {
        return true;
      }
      check(trace);
      return true;
    });
    return fc.check(property, { numRuns: 400, seed: 42 }).failed;
  }

  it('has a check for every broken decide', () => {
    expect(MUST_CATCH.map(([name]) => name).sort()).toEqual(Object.keys(BROKEN_DECIDERS).sort());
  });

  it.each(MUST_CATCH)('catches a decide that %s', (name, check) => {
    expect(catches(BROKEN_DECIDERS[name], check)).toBe(true);
  });
});
