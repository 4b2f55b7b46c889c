import {
  decideInvoice,
  evolveInvoice,
  findInvoiceDiscrepancies,
  initialInvoiceState,
  type CustomerState,
  type InvoiceCommand,
  type IssueInvoice,
  type InvoiceState,
} from '../../../src/billing/domain';
import {
  EUR_10,
  INVOICE_ID,
  T0,
  at,
  claim,
  expectAccepted,
  expectRejected,
  failed,
  given,
  invoiceOf,
  issue,
  markUnknown,
  minutesAfterT0,
  paid,
  redrive,
  requeue,
  resolve,
  unknown,
  withdraw,
} from './invoice-test-kit';

const LATER = minutesAfterT0(60);

function decideLater(command: InvoiceCommand, state: InvoiceState, instanceId = 'instance-b') {
  return decideInvoice(command, state, at(LATER, instanceId));
}

function apply(state: InvoiceState, command: InvoiceCommand): InvoiceState {
  return expectAccepted(decideLater(command, state)).reduce(evolveInvoice, state);
}

const pending = () => given(issue()).state;
const processing = () => given(issue(), claim()).state;
const paidState = () => given(issue(), claim(), paid(1)).state;
const failedState = () => given(issue(), claim(), failed(1)).state;
const unknownState = () => given(issue(), claim(), unknown(1)).state;

describe('IssueInvoice', () => {
  it('issues a PENDING invoice with its customer and amount', () => {
    const events = expectAccepted(decideInvoice(issue(), initialInvoiceState, at(T0)));
    expect(events).toEqual([
      {
        type: 'InvoiceIssued',
        data: {
          invoiceId: '42',
          customerId: 'customer-7',
          amount: EUR_10,
          instanceId: 'instance-a',
          issuedAt: T0,
        },
      },
    ]);
    expect(invoiceOf(events.reduce(evolveInvoice, initialInvoiceState)).status).toBe('PENDING');
  });

  it('appends nothing for the same invoice again, and names what differs for another', () => {
    expect(decideLater(issue(), pending())).toEqual({ ok: true, events: [] });
    const other: InvoiceCommand = {
      ...(issue() as IssueInvoice),
      amount: { value: '11.00', currency: 'EUR' },
      dueDate: '2026-01-31',
    };
    expect(expectRejected(decideLater(other, pending()), 'ALREADY_ISSUED')).toMatch(
      /another amount, dueDate$/,
    );
  });

  it('issues only for a registered customer, in their currency, keeping dueDate and description', () => {
    const registered = (currency: 'EUR' | 'USD'): CustomerState => ({
      exists: true,
      customerId: 'c-1',
      currency,
      name: null,
      email: null,
      registeredAt: T0,
    });
    const issueFor = (customer: CustomerState): InvoiceCommand => ({
      ...(issue() as IssueInvoice),
      customer,
      dueDate: '2026-02-28',
      description: 'd',
    });
    const decide = (command: InvoiceCommand) => decideInvoice(command, initialInvoiceState, at(T0));
    expectRejected(decide(issueFor({ exists: false })), 'CUSTOMER_NOT_FOUND');
    expectRejected(decide(issueFor(registered('USD'))), 'CURRENCY_MISMATCH');
    const issued = decide(issueFor(registered('EUR')));
    expect(issued.ok && issued.events[0].data).toMatchObject({
      dueDate: '2026-02-28',
      description: 'd',
    });
  });

  it('voids a PENDING or FAILED invoice for good, and nothing else', () => {
    const voidIt: InvoiceCommand = { type: 'VoidInvoice', invoiceId: INVOICE_ID, reason: 'dup' };
    const voided = decideLater(voidIt, pending());
    expect(voided.ok && voided.events.map((event) => event.type)).toEqual(['InvoiceVoided']);
    expectRejected(decideLater(voidIt, processing()), 'NOT_VOIDABLE');
    expectRejected(
      decideLater({ ...voidIt, reason: ' ' } as InvoiceCommand, pending()),
      'INVALID_COMMAND',
    );
  });

  it.each([
    ['a zero amount', { ...issue(), amount: { value: '0.00', currency: 'EUR' } }],
    ['a customer id with spaces', { ...issue(), customerId: 'a b' }],
    ['an empty invoice id', issue('')],
  ] as [string, InvoiceCommand][])('refuses %s', (_, command) => {
    expectRejected(decideInvoice(command, initialInvoiceState, at(T0)), 'INVALID_COMMAND');
  });
});

describe('validation common to all commands', () => {
  it('refuses a context whose clock reading is not an ISO instant', () => {
    expectRejected(decideInvoice(claim(), pending(), at('yesterday')), 'INVALID_COMMAND');
  });

  it('refuses a context without a valid instance id', () => {
    expectRejected(decideInvoice(claim(), pending(), at(T0, '')), 'INVALID_COMMAND');
  });

  it('refuses a command applied to another invoice state (a wiring mistake)', () => {
    const message = expectRejected(
      decideLater({ ...claim(), invoiceId: '43' }, pending()),
      'INVALID_COMMAND',
    );
    expect(message).toContain('43');
  });

  it.each([claim(), paid(1), markUnknown(1), redrive(1), requeue(), resolve('PAID')])(
    'answers INVOICE_NOT_FOUND to $type before the invoice exists',
    (command) => {
      const message = expectRejected(
        decideLater(command, initialInvoiceState),
        'INVOICE_NOT_FOUND',
      );
      expect(message).toBe('invoice 42 does not exist');
    },
  );
});

describe('ClaimCharge', () => {
  it('starts attempt 1 from PENDING, recording key, run, instance, customer and amount', () => {
    expect(expectAccepted(decideLater(claim('2025-05'), pending()))).toEqual([
      {
        type: 'ChargeAttempted',
        data: {
          invoiceId: '42',
          attempt: 1,
          idempotencyKey: 'invoice-42-attempt-1',
          runId: '2025-05',
          instanceId: 'instance-b',
          customerId: 'customer-7',
          amount: EUR_10,
          attemptedAt: LATER,
        },
      },
    ]);
  });

  it('makes the invoice PROCESSING with the attempt open', () => {
    const invoice = invoiceOf(processing());
    expect(invoice.status).toBe('PROCESSING');
    expect(invoice.openAttempt).toMatchObject({
      attempt: 1,
      idempotencyKey: 'invoice-42-attempt-1',
    });
    expect(invoice.attempts).toHaveLength(1);
  });

  it('numbers the attempt after a requeue', () => {
    const { state } = given(issue(), claim(), failed(1), requeue());
    const [event] = expectAccepted(decideLater(claim(), state));
    expect(event.data).toMatchObject({ attempt: 2, idempotencyKey: 'invoice-42-attempt-2' });
  });

  it('names the holder when another attempt is open', () => {
    const message = expectRejected(decideLater(claim(), processing()), 'NOT_PENDING');
    expect(message).toBe(
      `invoice 42 is PROCESSING (attempt 1 by instance instance-a since ${minutesAfterT0(1)}); only PENDING invoices can be charged`,
    );
  });

  it.each([
    ['PAID', paidState],
    ['FAILED', failedState],
    ['UNKNOWN', unknownState],
  ])('refuses to charge a %s invoice', (status, state) => {
    const message = expectRejected(decideLater(claim(), state()), 'NOT_PENDING');
    expect(message).toBe(`invoice 42 is ${status}; only PENDING invoices can be charged`);
  });

  it('refuses an invalid run id', () => {
    expectRejected(decideLater(claim('run 1'), pending()), 'INVALID_COMMAND');
  });
});

describe('ClaimCharge and the due date', () => {
  const dueOn = (dueDate: string) =>
    given({ ...issue(), dueDate } as InvoiceCommand).state as InvoiceState;
  const claimBy = (dueBy: string) => ({ ...claim(), dueBy }) as InvoiceCommand;

  it('charges an invoice on its due date and after it', () => {
    expectAccepted(decideLater(claimBy('2025-05-31'), dueOn('2025-05-31')));
    expectAccepted(decideLater(claimBy('2025-06-01'), dueOn('2025-05-31')));
  });

  it('does not charge it before its due date, and says why', () => {
    const message = expectRejected(
      decideLater(claimBy('2025-05-30'), dueOn('2025-05-31')),
      'NOT_DUE',
    );
    expect(message).toBe(
      "invoice 42 is due on 2025-05-31, after the run's billing date 2025-05-30",
    );
  });

  it('an invoice without a due date is due at once', () => {
    expectAccepted(decideLater(claimBy('0001-01-01'), pending()));
  });

  it('compares calendar dates across years and months', () => {
    expectRejected(decideLater(claimBy('2025-12-31'), dueOn('2026-01-01')), 'NOT_DUE');
    expectAccepted(decideLater(claimBy('2026-01-01'), dueOn('2025-12-31')));
  });

  it('refuses a billing date that is not a calendar date', () => {
    expectRejected(decideLater(claimBy('2025-02-30'), pending()), 'INVALID_COMMAND');
  });
});

describe('RecordChargeOutcome on the open attempt', () => {
  it('records a payment with the audit fields and the amount', () => {
    expect(expectAccepted(decideLater(paid(1), processing()))).toEqual([
      {
        type: 'InvoicePaid',
        data: {
          invoiceId: '42',
          attempt: 1,
          idempotencyKey: 'invoice-42-attempt-1',
          runId: '2025-05',
          instanceId: 'instance-b',
          amount: EUR_10,
          paidAt: LATER,
        },
      },
    ]);
    expect(invoiceOf(paidState()).status).toBe('PAID');
  });

  it.each([
    ['INSUFFICIENT_FUNDS', true],
    ['NETWORK', true],
    ['CUSTOMER_NOT_FOUND', false],
  ] as const)('records a %s failure as retryable=%s', (reason, retryable) => {
    const [event] = expectAccepted(decideLater(failed(1, reason), processing()));
    expect(event).toEqual({
      type: 'ChargeFailed',
      data: {
        invoiceId: '42',
        attempt: 1,
        idempotencyKey: 'invoice-42-attempt-1',
        runId: '2025-05',
        instanceId: 'instance-b',
        reason,
        message: `the provider reported ${reason}`,
        retryable,
        failedAt: LATER,
      },
    });
  });

  it('keeps the provider message and the last failure', () => {
    const command: InvoiceCommand = {
      type: 'RecordChargeOutcome',
      invoiceId: INVOICE_ID,
      attempt: 1,
      outcome: { kind: 'failed', reason: 'CURRENCY_MISMATCH', message: 'customer pays in DKK' },
    };
    const invoice = invoiceOf(apply(processing(), command));
    expect(invoice.status).toBe('FAILED');
    expect(invoice.lastFailure).toEqual({
      attempt: 1,
      reason: 'CURRENCY_MISMATCH',
      message: 'customer pays in DKK',
      retryable: false,
      failedAt: LATER,
    });
  });

  it('records an ambiguous outcome as UNKNOWN', () => {
    const [event] = expectAccepted(decideLater(unknown(1), processing()));
    expect(event).toMatchObject({
      type: 'ChargeOutcomeUnknown',
      data: {
        attempt: 1,
        idempotencyKey: 'invoice-42-attempt-1',
        reason: 'AMBIGUOUS_NETWORK_ERROR',
        at: LATER,
      },
    });
    expect(invoiceOf(unknownState()).status).toBe('UNKNOWN');
  });

  it.each([0, 2, 1.5])(
    'answers ATTEMPT_MISMATCH for attempt %s, which was never made',
    (attempt) => {
      const message = expectRejected(decideLater(paid(attempt), processing()), 'ATTEMPT_MISMATCH');
      expect(message).toBe(`invoice 42 has no attempt ${attempt}; it has had 1`);
    },
  );
});

describe('RecordChargeOutcome repeated (engine retries) or contradicted', () => {
  it.each([
    ['paid after paid', paidState, paid(1), 'is already recorded as PAID'],
    [
      'the same failure twice',
      failedState,
      failed(1),
      'is already recorded as FAILED (INSUFFICIENT_FUNDS)',
    ],
    ['unknown after paid', paidState, unknown(1), 'already ended PAID'],
    ['unknown after unknown', unknownState, unknown(1), 'already ended UNKNOWN'],
  ])('answers OUTCOME_ALREADY_RECORDED to %s', (_, state, command, text) => {
    expect(expectRejected(decideLater(command, state()), 'OUTCOME_ALREADY_RECORDED')).toContain(
      text,
    );
  });

  it.each([
    ['failed after paid', paidState, failed(1)],
    ['paid after failed', failedState, paid(1)],
    ['another failure reason', failedState, failed(1, 'CUSTOMER_NOT_FOUND')],
  ])('answers OUTCOME_CONFLICT to %s, naming the key to check', (_, state, command) => {
    expect(expectRejected(decideLater(command, state()), 'OUTCOME_CONFLICT')).toContain(
      'invoice-42-attempt-1',
    );
  });

  it('refuses an outcome for an earlier attempt that already ended', () => {
    const { state } = given(issue(), claim(), failed(1), requeue(), claim());
    expectRejected(decideLater(paid(1), state), 'OUTCOME_CONFLICT');
    expectRejected(decideLater(failed(1), state), 'OUTCOME_ALREADY_RECORDED');
  });
});

describe('late truth after UNKNOWN (invariant 3: no fact about money is dropped)', () => {
  it('records a late payment: PAID', () => {
    const invoice = invoiceOf(apply(unknownState(), paid(1)));
    expect(invoice.status).toBe('PAID');
    expect(invoice.attempts[0]).toMatchObject({ outcome: 'UNKNOWN', providerSaid: 'PAID' });
  });

  it('records a late failure: FAILED, and requeue becomes possible', () => {
    const state = apply(unknownState(), failed(1));
    expect(invoiceOf(state).status).toBe('FAILED');
    expect(invoiceOf(apply(state, requeue())).status).toBe('PENDING');
  });

  it('takes only one late truth per attempt', () => {
    const state = apply(unknownState(), paid(1));
    expectRejected(decideLater(paid(1), state), 'OUTCOME_ALREADY_RECORDED');
    expectRejected(decideLater(failed(1), state), 'OUTCOME_CONFLICT');
  });

  it('records a late payment after a person resolved FAILED: PAID, and the contradiction is reported', () => {
    const state = apply(given(issue(), claim(), unknown(1), resolve('FAILED')).state, paid(1));
    expect(invoiceOf(state).status).toBe('PAID');
    expect(findInvoiceDiscrepancies(invoiceOf(state))).toEqual([
      { kind: 'RESOLUTION_CONTRADICTED', attempt: 1, resolvedAs: 'FAILED', providerSaid: 'PAID' },
    ]);
  });

  it('records a late failure after a person resolved PAID, but PAID stays final', () => {
    const state = apply(given(issue(), claim(), unknown(1), resolve('PAID')).state, failed(1));
    expect(invoiceOf(state).status).toBe('PAID');
    expect(invoiceOf(state).lastFailure).toMatchObject({
      attempt: 1,
      reason: 'INSUFFICIENT_FUNDS',
    });
    expect(findInvoiceDiscrepancies(invoiceOf(state))).toEqual([
      { kind: 'RESOLUTION_CONTRADICTED', attempt: 1, resolvedAs: 'PAID', providerSaid: 'FAILED' },
    ]);
  });

  it('stops a second charge when the late payment arrives after a requeue', () => {
    const state = apply(
      given(issue(), claim(), unknown(1), resolve('FAILED'), requeue()).state,
      paid(1),
    );
    expect(invoiceOf(state).status).toBe('PAID');
    expectRejected(decideLater(claim(), state), 'NOT_PENDING');
  });

  it('records a late payment while a later attempt is open, which ends PAID whatever it does', () => {
    const reopened = given(
      issue(),
      claim(),
      unknown(1),
      resolve('FAILED'),
      requeue(),
      claim(),
    ).state;
    const state = apply(reopened, paid(1));
    // The open attempt still holds the claim, so the sweep can still find and end it.
    expect(invoiceOf(state)).toMatchObject({ status: 'PROCESSING', openAttempt: { attempt: 2 } });
    const twice = apply(state, paid(2));
    expect(invoiceOf(twice).status).toBe('PAID');
    expect(findInvoiceDiscrepancies(invoiceOf(twice))).toContainEqual({
      kind: 'CHARGED_MORE_THAN_ONCE',
      attempts: [1, 2],
    });
    expect(invoiceOf(apply(state, failed(2))).status).toBe('PAID');
  });

  it('reports an unknown later attempt that no resolve can reach any more', () => {
    const reopened = given(
      issue(),
      claim(),
      unknown(1),
      resolve('FAILED'),
      requeue(),
      claim(),
      paid(1),
    ).state;
    const state = apply(reopened, unknown(2));
    expect(invoiceOf(state).status).toBe('PAID');
    expect(findInvoiceDiscrepancies(invoiceOf(state))).toContainEqual({
      kind: 'ATTEMPT_UNSETTLED',
      attempt: 2,
    });
    expect(invoiceOf(apply(state, failed(2))).attempts[1].providerSaid).toBe('FAILED');
  });
});

describe('MarkOutcomeUnknown (recovery sweep)', () => {
  const timeout = 30 * 60_000;

  it('marks an attempt open past the timeout UNKNOWN', () => {
    // Claimed at minute 1, swept at minute 60.
    const [event] = expectAccepted(decideLater(markUnknown(1, timeout), processing()));
    expect(event).toEqual({
      type: 'ChargeOutcomeUnknown',
      data: {
        invoiceId: '42',
        attempt: 1,
        idempotencyKey: 'invoice-42-attempt-1',
        runId: '2025-05',
        instanceId: 'instance-b',
        reason: 'ATTEMPT_TIMED_OUT',
        message: `attempt open since ${minutesAfterT0(1)}, longer than the ${timeout} ms timeout`,
        at: LATER,
      },
    });
  });

  it('refuses an attempt still within the timeout', () => {
    const message = expectRejected(
      decideLater(markUnknown(1, 2 * 60 * 60_000), processing()),
      'ATTEMPT_NOT_EXPIRED',
    );
    expect(message).toBe(
      `attempt 1 of invoice 42 has been open for ${59 * 60_000} ms, less than the 7200000 ms timeout`,
    );
  });

  it('treats an attempt that already ended as done', () => {
    expectRejected(decideLater(markUnknown(1), paidState()), 'OUTCOME_ALREADY_RECORDED');
  });

  it('refuses an attempt that was never made', () => {
    expectRejected(decideLater(markUnknown(2), processing()), 'ATTEMPT_MISMATCH');
  });

  it.each([0, -1, Number.NaN])('refuses a timeout of %s', (attemptTimeoutMs) => {
    expectRejected(decideLater(markUnknown(1, attemptTimeoutMs), processing()), 'INVALID_COMMAND');
  });
});

describe('RedriveCharge (recovery sweep, idempotent provider)', () => {
  it('re-drives a stale attempt with its own key, keeping it open', () => {
    const [event] = expectAccepted(decideLater(redrive(1), processing()));
    expect(event).toEqual({
      type: 'ChargeRedriven',
      data: {
        invoiceId: '42',
        attempt: 1,
        idempotencyKey: 'invoice-42-attempt-1',
        runId: '2025-05',
        instanceId: 'instance-b',
        redrivenAt: LATER,
      },
    });
    const invoice = invoiceOf(evolveInvoice(processing(), event));
    expect(invoice.status).toBe('PROCESSING');
    expect(invoice.openAttempt?.lastDrivenAt).toBe(LATER);
  });

  it('restarts the timeout, so a second sweeper does not re-drive or mark it at once', () => {
    const state = apply(processing(), redrive(1));
    expectRejected(decideLater(redrive(1), state), 'ATTEMPT_NOT_EXPIRED');
    expectRejected(decideLater(markUnknown(1), state), 'ATTEMPT_NOT_EXPIRED');
  });

  it('treats an attempt that already ended as done', () => {
    expectRejected(decideLater(redrive(1), failedState()), 'OUTCOME_ALREADY_RECORDED');
  });
});

describe('WithdrawCharge (invariant 7: a claim known unsent ends, nothing charged)', () => {
  it('ends the open attempt unsent with the audit fields; the invoice is PENDING again', () => {
    const [event] = expectAccepted(decideLater(withdraw(1, 'PROVIDER_BACKOFF'), processing()));
    expect(event).toEqual({
      type: 'ChargeWithdrawn',
      data: {
        invoiceId: '42',
        attempt: 1,
        idempotencyKey: 'invoice-42-attempt-1',
        runId: '2025-05',
        instanceId: 'instance-b',
        reason: 'PROVIDER_BACKOFF',
        message: 'the breaker is open',
        withdrawnAt: LATER,
      },
    });
    const invoice = invoiceOf(evolveInvoice(processing(), event));
    expect(invoice.status).toBe('PENDING');
    expect(invoice.openAttempt).toBeNull();
    expect(invoice.attempts[0].outcome).toBe('WITHDRAWN');
    expect(findInvoiceDiscrepancies(invoice)).toEqual([]);
  });

  it('lets the next claim make a new attempt with a new key', () => {
    const state = apply(processing(), withdraw(1));
    const [event] = expectAccepted(decideLater(claim(), state));
    expect(event).toMatchObject({
      type: 'ChargeAttempted',
      data: { attempt: 2, idempotencyKey: 'invoice-42-attempt-2' },
    });
  });

  it('refuses an attempt a sweeper re-drove: it may have been sent', () => {
    const state = apply(processing(), redrive(1));
    expect(expectRejected(decideLater(withdraw(1), state), 'ATTEMPT_MISMATCH')).toMatch(
      /re-driven .* cannot be withdrawn/,
    );
  });

  it('treats an attempt that already ended as done, and refuses one never made or a bad reason', () => {
    expectRejected(decideLater(withdraw(1), unknownState()), 'OUTCOME_ALREADY_RECORDED');
    expectRejected(decideLater(withdraw(1), paidState()), 'OUTCOME_ALREADY_RECORDED');
    expectRejected(decideLater(withdraw(2), processing()), 'ATTEMPT_MISMATCH');
    expectRejected(
      decideLater({ ...withdraw(1), reason: 'BORED' as never }, processing()),
      'INVALID_COMMAND',
    );
  });
});

describe('RequeueInvoice', () => {
  it('sends a FAILED invoice back to PENDING, saying who and why', () => {
    const [event] = expectAccepted(decideLater(requeue(), failedState()));
    expect(event).toEqual({
      type: 'InvoiceRequeued',
      data: {
        invoiceId: '42',
        afterAttempt: 1,
        requestedBy: 'ops@example.com',
        note: 'card updated',
        instanceId: 'instance-b',
        at: LATER,
      },
    });
    expect(invoiceOf(evolveInvoice(failedState(), event)).status).toBe('PENDING');
  });

  it('records who and why as null when not given', () => {
    const [event] = expectAccepted(
      decideLater({ type: 'RequeueInvoice', invoiceId: INVOICE_ID }, failedState()),
    );
    expect(event.data).toMatchObject({ requestedBy: null, note: null });
  });

  it.each([
    ['PENDING', pending, 'invoice 42 is PENDING; only FAILED invoices can be requeued'],
    ['PROCESSING', processing, 'invoice 42 is PROCESSING; only FAILED invoices can be requeued'],
    ['PAID', paidState, 'invoice 42 is PAID; only FAILED invoices can be requeued'],
    [
      'UNKNOWN',
      unknownState,
      'invoice 42 is UNKNOWN; only FAILED invoices can be requeued (resolve it first: it may have been charged)',
    ],
  ])('refuses a %s invoice', (_, state, message) => {
    expect(expectRejected(decideLater(requeue(), state()), 'NOT_FAILED')).toBe(message);
  });
});

describe('ResolveInvoice', () => {
  it('settles an UNKNOWN invoice as PAID, recording the attempt, note and person', () => {
    const [event] = expectAccepted(decideLater(resolve('PAID', 1), unknownState()));
    expect(event).toEqual({
      type: 'InvoiceResolved',
      data: {
        invoiceId: '42',
        attempt: 1,
        idempotencyKey: 'invoice-42-attempt-1',
        runId: '2025-05',
        instanceId: 'instance-b',
        outcome: 'PAID',
        note: 'checked the provider dashboard',
        resolvedBy: 'ops@example.com',
        at: LATER,
      },
    });
    expect(invoiceOf(evolveInvoice(unknownState(), event)).status).toBe('PAID');
  });

  it('settles an UNKNOWN invoice as FAILED, which may then be requeued', () => {
    const state = apply(unknownState(), resolve('FAILED'));
    expect(invoiceOf(state).status).toBe('FAILED');
    expect(invoiceOf(apply(state, requeue())).status).toBe('PENDING');
  });

  it('records the person as null when not given', () => {
    const command: InvoiceCommand = {
      type: 'ResolveInvoice',
      invoiceId: INVOICE_ID,
      outcome: 'PAID',
      note: 'bank',
    };
    expect(expectAccepted(decideLater(command, unknownState()))[0].data).toMatchObject({
      resolvedBy: null,
    });
  });

  it.each([
    ['PENDING', pending],
    ['PROCESSING', processing],
    ['PAID', paidState],
    ['FAILED', failedState],
  ])('refuses a %s invoice', (status, state) => {
    const message = expectRejected(decideLater(resolve('PAID'), state()), 'NOT_UNKNOWN');
    expect(message).toBe(`invoice 42 is ${status}; only UNKNOWN invoices can be resolved`);
  });

  it('refuses a resolution aimed at another attempt (a stale screen)', () => {
    const message = expectRejected(
      decideLater(resolve('PAID', 2), unknownState()),
      'ATTEMPT_MISMATCH',
    );
    expect(message).toContain('UNKNOWN at attempt 1, not 2');
  });

  it('requires a note', () => {
    expectRejected(
      decideLater({ ...resolve('PAID'), note: '  ' } as InvoiceCommand, unknownState()),
      'INVALID_COMMAND',
    );
  });
});
