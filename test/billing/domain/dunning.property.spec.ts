import fc from 'fast-check';
import {
  classifyFailure,
  decideInvoice,
  initialInvoiceState,
  type ChargeFailed,
  type InvoiceEvent,
  type RetryPolicy,
} from '../../../src/billing/domain';
import { neverTwoOpenAttempts } from './invoice-invariants';
import {
  dunningScenarios,
  SCAN_INTERVAL_MS,
  simulateDunning,
  type DunningTrace,
} from './dunning-simulation';

/*
 * The properties of issue 16 item 8 over random histories of one invoice under dunning.
 * The checks read the log and recompute the schedule by hand, not with the domain's own
 * scheduleAfterFailure, so a bug there cannot hide itself.
 */

const UNIT = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function delayMs(text: string): number {
  return Number(text.slice(0, -1)) * UNIT[text.slice(-1) as keyof typeof UNIT];
}

function fail(message: string): never {
  throw new Error(message);
}

type Check = (trace: DunningTrace) => void;

/** The automatic retry number of each attempt, from the log. */
function retryOfAttempts(log: readonly InvoiceEvent[]): Map<number, number> {
  const retries = new Map<number, number>();
  for (const event of log) {
    if (event.type === 'ChargeAttempted') retries.set(event.data.attempt, event.data.retry ?? 0);
  }
  return retries;
}

/** Each decision with a ChargeFailed appends the policy's answer then in force, and nothing else. */
const scheduleIsThePolicyAtTheFailure: Check = (trace) => {
  for (const entry of trace.entries) {
    if (!entry.decision.ok) continue;
    const events = entry.decision.events;
    const failure = events.find((event): event is ChargeFailed => event.type === 'ChargeFailed');
    const planned = events.filter(
      (event) => event.type === 'RetryScheduled' || event.type === 'RetriesExhausted',
    );
    if (!failure) {
      if (planned.length > 0) fail(`${planned[0].type} without a failure`);
      continue;
    }
    const onTime = entry.before.exists && entry.before.status === 'PROCESSING';
    if (!onTime) {
      if (planned.length > 0) fail(`${planned[0].type} after a late failure (after UNKNOWN)`);
      continue;
    }
    if (planned.length !== 1) fail(`failure followed by ${planned.length} schedule events`);
    expectSchedule(entry.policy, failure, planned[0], retryOfAttempts(trace.log), entry.now);
  }
};

function expectSchedule(
  policy: RetryPolicy,
  failure: ChargeFailed,
  planned: InvoiceEvent,
  retries: Map<number, number>,
  now: string,
): void {
  const made = retries.get(failure.data.attempt) ?? 0;
  const rule = policy.retries[failure.data.reason] ?? [];
  const delay = rule[made];
  if (delay === undefined) {
    if (planned.type !== 'RetriesExhausted') fail(`expected exhaustion after ${made} retries`);
    if (planned.data.retriesMade !== made || planned.data.policy !== policy.name)
      fail(`exhaustion says ${JSON.stringify(planned.data)}`);
    return;
  }
  const at = new Date(Date.parse(now) + delayMs(delay)).toISOString();
  if (
    planned.type !== 'RetryScheduled' ||
    planned.data.retryNumber !== made + 1 ||
    planned.data.at !== at ||
    planned.data.policy !== policy.name
  ) {
    fail(`expected retry ${made + 1} at ${at} by ${policy.name}, got ${JSON.stringify(planned)}`);
  }
}

/** No retry for an UNKNOWN outcome or a permanent reason, under any valid policy. */
const neverRetriesUnknownOrPermanent: Check = (trace) => {
  let last: InvoiceEvent | null = null;
  for (const event of trace.log) {
    if (event.type === 'RetryScheduled') {
      if (last?.type !== 'ChargeFailed') fail(`RetryScheduled after ${last?.type}`);
      if (classifyFailure(last.data.reason).class === 'permanent')
        fail(`retry scheduled for ${last.data.reason}`);
    }
    last = event;
  }
};

/**
 * A retry claim only from FAILED with that retry scheduled and due; a requeue or a void
 * cancels the schedule (names it) and no retry follows it; nothing after PAID or exhaustion.
 */
const retriesOnlyWhileScheduled: Check = (trace) => {
  for (const entry of trace.entries) {
    const { before, after, decision, command } = entry;
    if (!decision.ok || !before.exists || !after.exists) continue;
    const attempted = decision.events.find((event) => event.type === 'ChargeAttempted');
    if (attempted?.type === 'ChargeAttempted' && attempted.data.retry !== undefined) {
      const next = before.nextRetry;
      if (before.status !== 'FAILED' || next?.retryNumber !== attempted.data.retry)
        fail(`retry ${attempted.data.retry} claimed from ${before.status}`);
      if (Date.parse(entry.now) < Date.parse(next.at)) fail(`retry claimed before ${next.at}`);
    }
    if (command.type === 'RequeueInvoice' || command.type === 'VoidInvoice') {
      if (after.nextRetry !== null) fail(`${command.type} left a retry scheduled`);
      const data = decision.events[0].data as { cancelledRetry?: { retryNumber: number } };
      const had = before.status === 'FAILED' ? before.nextRetry : null;
      if ((data.cancelledRetry?.retryNumber ?? null) !== (had?.retryNumber ?? null))
        fail(
          `${command.type} names ${JSON.stringify(data.cancelledRetry)}, had ${had?.retryNumber}`,
        );
    }
  }
  let stopped: string | null = null;
  for (const event of trace.log) {
    if (event.type === 'ChargeAttempted' && event.data.retry !== undefined && stopped)
      fail(`retry ${event.data.retry} after ${stopped}`);
    if (event.type === 'InvoicePaid' || event.type === 'RetriesExhausted') stopped = event.type;
    if (
      event.type === 'ChargeAttempted' &&
      event.data.retry === undefined &&
      stopped !== 'InvoicePaid'
    )
      stopped = null;
  }
};

/**
 * With a scan every interval, a scheduled retry is charged no earlier than its time and no
 * later than one interval after it, unless a manual action or another attempt came first.
 */
const chargedWithinOneScanInterval: Check = (trace) => {
  const log = trace.log;
  log.forEach((event, index) => {
    if (event.type !== 'RetryScheduled') return;
    const due = Date.parse(event.data.at);
    const next = log.slice(index + 1).find((later) => later.type !== 'RetryScheduled');
    if (next?.type === 'ChargeAttempted') {
      const at = Date.parse(next.data.attemptedAt);
      if (next.data.retry === event.data.retryNumber && (at < due || at >= due + SCAN_INTERVAL_MS))
        fail(
          `retry ${event.data.retryNumber} due ${event.data.at} charged ${next.data.attemptedAt}`,
        );
      return;
    }
    if (next === undefined && due + SCAN_INTERVAL_MS <= trace.end)
      fail(`retry ${event.data.retryNumber} due ${event.data.at} never charged`);
  });
};

const PROPERTIES: [string, Check][] = [
  [
    'never two open attempts',
    (trace) => neverTwoOpenAttempts({ entries: [], log: trace.log, final: initialInvoiceState }),
  ],
  ['no retry for an UNKNOWN outcome or a permanent reason', neverRetriesUnknownOrPermanent],
  ['the schedule at a failure is the policy then in force', scheduleIsThePolicyAtTheFailure],
  [
    'a retry only while scheduled and due; requeue and void cancel; none after PAID or exhaustion',
    retriesOnlyWhileScheduled,
  ],
  [
    'a retry is charged no earlier than its time, no later than one scan interval after',
    chargedWithinOneScanInterval,
  ],
];

describe('dunning over random histories', () => {
  it.each(PROPERTIES)('%s', (_, check) => {
    fc.assert(
      fc.property(dunningScenarios, ({ policy, steps }) => check(simulateDunning(policy, steps))),
      { numRuns: 300 },
    );
  });

  it('reaches scheduled, charged, exhausted, requeued and voided retries', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(dunningScenarios, ({ policy, steps }) => {
        const trace = simulateDunning(policy, steps);
        for (const entry of trace.entries) {
          if (!entry.decision.ok) continue;
          for (const event of entry.decision.events) {
            if (event.type === 'ChargeAttempted' && event.data.retry) seen.add('retry charged');
            if (event.type === 'RetryScheduled') seen.add('scheduled');
            if (event.type === 'RetriesExhausted' && event.data.retriesMade > 0)
              seen.add('exhausted');
            if ('cancelledRetry' in event.data) seen.add(`${event.type} cancelled`);
          }
        }
      }),
      { numRuns: 300, seed: 16 },
    );
    expect([...seen].sort()).toEqual([
      'InvoiceRequeued cancelled',
      'InvoiceVoided cancelled',
      'exhausted',
      'retry charged',
      'scheduled',
    ]);
  });
});

describe('the dunning properties catch a broken decide', () => {
  function catches(decide: typeof decideInvoice, check: Check): boolean {
    const property = fc.property(dunningScenarios, ({ policy, steps }) => {
      check(simulateDunning(policy, steps, decide));
      return true;
    });
    return fc.check(property, { numRuns: 300, seed: 42 }).failed;
  }

  it('catches a decide that retries early, and one that ignores the policy', () => {
    const early: typeof decideInvoice = (command, state, context) =>
      decideInvoice(command, state, {
        ...context,
        now:
          command.type === 'ClaimCharge' && command.retry
            ? '2099-01-01T00:00:00.000Z'
            : context.now,
      });
    const stale: typeof decideInvoice = (command, state, context) =>
      decideInvoice(command, state, {
        ...context,
        retryPolicy: { name: 'p1', retries: { INSUFFICIENT_FUNDS: ['1h'] } },
      });
    expect(catches(early, retriesOnlyWhileScheduled)).toBe(true);
    expect(catches(stale, scheduleIsThePolicyAtTheFailure)).toBe(true);
  });
});
