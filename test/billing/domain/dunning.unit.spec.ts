import {
  decideInvoice,
  DEFAULT_RETRY_POLICY,
  dueRetry,
  evolveInvoice,
  initialInvoiceState,
  retriesLeft,
  type DecideContext,
  type InvoiceCommand,
  type InvoiceEvent,
  type InvoiceState,
  type RetryPolicy,
} from '../../../src/billing/domain';
import {
  claim,
  expectAccepted,
  expectRejected,
  failed,
  invoiceOf,
  issue,
  INVOICE_ID,
  paid,
  requeue,
  T0,
  unknown,
} from './invoice-test-kit';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

function after(ms: number): string {
  return new Date(Date.parse(T0) + ms).toISOString();
}

/** An invoice under a policy: each command decided at its own time; returns state and log. */
class Dunning {
  state: InvoiceState = initialInvoiceState;
  readonly log: InvoiceEvent[] = [];

  constructor(private policy: RetryPolicy = DEFAULT_RETRY_POLICY) {}

  usePolicy(policy: RetryPolicy): this {
    this.policy = policy;
    return this;
  }

  context(now: string): DecideContext {
    return { now, instanceId: 'instance-a', retryPolicy: this.policy };
  }

  decide(command: InvoiceCommand, now: string) {
    return decideInvoice(command, this.state, this.context(now));
  }

  run(command: InvoiceCommand, now: string): readonly InvoiceEvent[] {
    const events = expectAccepted(this.decide(command, now));
    for (const event of events) {
      this.log.push(event);
      this.state = evolveInvoice(this.state, event);
    }
    return events;
  }

  get invoice() {
    return invoiceOf(this.state);
  }
}

function retryClaim(retry: number): InvoiceCommand {
  return { type: 'ClaimCharge', invoiceId: INVOICE_ID, runId: 'retry-20250504T0000Z', retry };
}

/** Issued at T0, attempt 1 claimed and declined (insufficient funds) at T0. */
function declined(policy?: RetryPolicy): Dunning {
  const dunning = new Dunning(policy);
  dunning.run(issue(), T0);
  dunning.run(claim(), T0);
  dunning.run(failed(1), T0);
  return dunning;
}

describe('a failure appends what the policy in force says, in the same decision', () => {
  it('schedules retry 1 of a decline 3 days after it, naming the policy and the rule', () => {
    const dunning = new Dunning();
    dunning.run(issue(), T0);
    dunning.run(claim(), T0);
    const events = dunning.run(failed(1), T0);
    expect(events.map((event) => event.type)).toEqual(['ChargeFailed', 'RetryScheduled']);
    expect(events[1].data).toEqual({
      invoiceId: INVOICE_ID,
      afterAttempt: 1,
      retryNumber: 1,
      at: after(3 * DAY),
      reason: 'INSUFFICIENT_FUNDS',
      delay: '3d',
      policy: 'default',
      rule: ['3d', '5d', '7d'],
      scheduledAt: T0,
    });
    expect(dunning.invoice.status).toBe('FAILED');
    expect(dunning.invoice.nextRetry).toMatchObject({ retryNumber: 1, at: after(3 * DAY) });
    expect(retriesLeft(dunning.invoice)).toBe(3);
  });

  it('schedules a network failure 1 hour later', () => {
    const dunning = new Dunning();
    dunning.run(issue(), T0);
    dunning.run(claim(), T0);
    const events = dunning.run(failed(1, 'NETWORK'), T0);
    expect(events[1]).toMatchObject({ type: 'RetryScheduled', data: { at: after(HOUR) } });
  });

  it('never retries a permanent reason: the retries are exhausted at once', () => {
    const dunning = new Dunning();
    dunning.run(issue(), T0);
    dunning.run(claim(), T0);
    const events = dunning.run(failed(1, 'CUSTOMER_NOT_FOUND'), T0);
    expect(events[1]).toEqual({
      type: 'RetriesExhausted',
      data: {
        invoiceId: INVOICE_ID,
        afterAttempt: 1,
        retriesMade: 0,
        reason: 'CUSTOMER_NOT_FOUND',
        policy: 'default',
        rule: [],
        at: T0,
      },
    });
    expect(dunning.invoice.nextRetry).toBeNull();
    expect(retriesLeft(dunning.invoice)).toBe(0);
  });

  it('never retries an UNKNOWN outcome, nor a late failure after it', () => {
    const dunning = new Dunning();
    dunning.run(issue(), T0);
    dunning.run(claim(), T0);
    expect(dunning.run(unknown(1), T0).map((event) => event.type)).toEqual([
      'ChargeOutcomeUnknown',
    ]);
    expect(dunning.run(failed(1), after(HOUR)).map((event) => event.type)).toEqual([
      'ChargeFailed',
    ]);
    expect(dunning.invoice.status).toBe('FAILED');
    expect(dunning.invoice.nextRetry).toBeNull();
    expect(retriesLeft(dunning.invoice)).toBeNull();
  });

  it('schedules nothing without a policy in the context', () => {
    const dunning = new Dunning();
    dunning.run(issue(), T0);
    dunning.run(claim(), T0);
    const decision = decideInvoice(failed(1), dunning.state, { now: T0, instanceId: 'i' });
    expect(expectAccepted(decision).map((event) => event.type)).toEqual(['ChargeFailed']);
  });
});

describe('the retry claim', () => {
  it('is refused before its time and accepted from it, marking the attempt as the retry', () => {
    const dunning = declined();
    const early = dunning.decide(retryClaim(1), after(3 * DAY - 1));
    expect(expectRejected(early, 'RETRY_NOT_DUE')).toContain(`due at ${after(3 * DAY)}`);
    const [attempted] = dunning.run(retryClaim(1), after(3 * DAY));
    expect(attempted).toMatchObject({
      type: 'ChargeAttempted',
      data: {
        attempt: 2,
        idempotencyKey: `invoice-${INVOICE_ID}-attempt-2`,
        runId: 'retry-20250504T0000Z',
        retry: 1,
      },
    });
    expect(dunning.invoice.status).toBe('PROCESSING');
    expect(dunning.invoice.nextRetry).toBeNull();
  });

  it('is refused for another retry number, a PENDING invoice, and twice', () => {
    const dunning = declined();
    expectRejected(dunning.decide(retryClaim(2), after(9 * DAY)), 'RETRY_NOT_DUE');
    dunning.run(retryClaim(1), after(3 * DAY));
    expect(
      expectRejected(dunning.decide(retryClaim(1), after(3 * DAY)), 'RETRY_NOT_DUE'),
    ).toContain('is PROCESSING');
    const fresh = new Dunning();
    fresh.run(issue(), T0);
    expectRejected(fresh.decide(retryClaim(1), T0), 'RETRY_NOT_DUE');
  });

  it('counts each retry: after 3 failed retries of a decline the retries are exhausted', () => {
    const dunning = declined();
    let now = 0;
    for (const [retry, delay] of [
      [1, 3],
      [2, 5],
      [3, 7],
    ] as const) {
      now += delay * DAY;
      expect(dunning.invoice.nextRetry).toMatchObject({ retryNumber: retry, at: after(now) });
      expect(retriesLeft(dunning.invoice)).toBe(4 - retry);
      dunning.run(retryClaim(retry), after(now));
      dunning.run(failed(retry + 1), after(now));
    }
    expect(dunning.log.at(-1)).toMatchObject({
      type: 'RetriesExhausted',
      data: { afterAttempt: 4, retriesMade: 3, reason: 'INSUFFICIENT_FUNDS' },
    });
    expect(dunning.invoice.retriesExhausted).toMatchObject({ retriesMade: 3 });
    expect(retriesLeft(dunning.invoice)).toBe(0);
    expect(dueRetry(dunning.invoice, after(100 * DAY))).toBeNull();
  });

  it('stops at PAID', () => {
    const dunning = declined();
    dunning.run(retryClaim(1), after(3 * DAY));
    expect(dunning.run(paid(2), after(3 * DAY)).map((event) => event.type)).toEqual([
      'InvoicePaid',
    ]);
    expect(dunning.invoice.status).toBe('PAID');
    expect(retriesLeft(dunning.invoice)).toBeNull();
  });
});

describe('a later policy change does not move a retry already scheduled', () => {
  it('keeps the scheduled time; the next failure follows the new policy', () => {
    const dunning = declined();
    const faster: RetryPolicy = { name: 'faster', retries: { INSUFFICIENT_FUNDS: ['1d', '1d'] } };
    dunning.usePolicy(faster);
    expectRejected(dunning.decide(retryClaim(1), after(DAY)), 'RETRY_NOT_DUE');
    dunning.run(retryClaim(1), after(3 * DAY));
    const events = dunning.run(failed(2), after(3 * DAY));
    expect(events[1]).toMatchObject({
      type: 'RetryScheduled',
      data: {
        retryNumber: 2,
        at: after(4 * DAY),
        delay: '1d',
        policy: 'faster',
        rule: ['1d', '1d'],
      },
    });
  });
});

describe('manual actions win', () => {
  it('a requeue cancels the scheduled retry, names it, and the retry claim is refused', () => {
    const dunning = declined();
    const [requeued] = dunning.run(requeue(), after(DAY));
    expect(requeued).toMatchObject({
      type: 'InvoiceRequeued',
      data: { afterAttempt: 1, cancelledRetry: { retryNumber: 1, at: after(3 * DAY) } },
    });
    expect(dunning.invoice.status).toBe('PENDING');
    expect(dunning.invoice.nextRetry).toBeNull();
    expectRejected(dunning.decide(retryClaim(1), after(3 * DAY)), 'RETRY_NOT_DUE');
    // One attempt, never two: the run's claim takes it, and the retry cannot follow.
    dunning.run(claim(), after(3 * DAY));
    expectRejected(dunning.decide(retryClaim(1), after(3 * DAY)), 'RETRY_NOT_DUE');
  });

  it('a requeued invoice that fails again starts at retry 1', () => {
    const dunning = declined();
    dunning.run(retryClaim(1), after(3 * DAY));
    dunning.run(failed(2), after(3 * DAY));
    dunning.run(requeue(), after(4 * DAY));
    dunning.run(claim(), after(4 * DAY));
    const events = dunning.run(failed(3), after(4 * DAY));
    expect(events[1]).toMatchObject({ data: { retryNumber: 1, at: after(7 * DAY) } });
  });

  it('a void cancels the scheduled retry and names it', () => {
    const dunning = declined();
    const [voided] = dunning.run(
      { type: 'VoidInvoice', invoiceId: INVOICE_ID, reason: 'customer left' },
      after(DAY),
    );
    expect(voided).toMatchObject({
      type: 'InvoiceVoided',
      data: { cancelledRetry: { retryNumber: 1, at: after(3 * DAY) } },
    });
    expect(dunning.invoice.nextRetry).toBeNull();
    expectRejected(dunning.decide(retryClaim(1), after(3 * DAY)), 'RETRY_NOT_DUE');
  });

  it('a requeue without a schedule names none', () => {
    const dunning = new Dunning();
    dunning.run(issue(), T0);
    dunning.run(claim(), T0);
    dunning.run(failed(1, 'CUSTOMER_NOT_FOUND'), T0);
    const [requeued] = dunning.run(requeue(), T0);
    expect(requeued.data).not.toHaveProperty('cancelledRetry');
  });
});

describe('stored states from before dunning', () => {
  it('fold on without the new fields', () => {
    const dunning = declined();
    const { nextRetry: _n, retriesExhausted: _e, ...old } = dunning.invoice;
    const oldAttempts = old.attempts.map(({ retry: _r, ...attempt }) => attempt);
    const stored = { ...old, attempts: oldAttempts } as unknown as InvoiceState;
    const requeued = evolveInvoice(stored, {
      type: 'InvoiceRequeued',
      data: {
        invoiceId: INVOICE_ID,
        afterAttempt: 1,
        requestedBy: null,
        note: null,
        instanceId: 'i',
        at: T0,
      },
    });
    expect(invoiceOf(requeued)).toMatchObject({ nextRetry: null, retriesExhausted: null });
  });
});
