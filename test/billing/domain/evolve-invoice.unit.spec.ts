import {
  deriveInvoiceStatus,
  foldInvoice,
  initialInvoiceState,
  StreamCorruptError,
  type ChargeAttemptRecord,
  type InvoiceEvent,
} from '../../../src/billing/domain';
import type { JsonObject } from '../../../src/event-store/event-data';
import {
  EUR_10,
  T0,
  claim,
  failed,
  given,
  invoiceOf,
  issue,
  paid,
  requeue,
  resolve,
  unknown,
} from './invoice-test-kit';

const issued: InvoiceEvent = {
  type: 'InvoiceIssued',
  data: { invoiceId: '42', customerId: 'c', amount: EUR_10, instanceId: 'i', issuedAt: T0 },
};
const stage = {
  invoiceId: '42',
  idempotencyKey: 'invoice-42-attempt-1',
  runId: 'r',
  instanceId: 'i',
};

describe('foldInvoice', () => {
  it('gives the initial state for an empty stream', () => {
    expect(foldInvoice([])).toBe(initialInvoiceState);
    expect(initialInvoiceState).toEqual({ exists: false });
  });

  it('builds the invoice from InvoiceIssued', () => {
    expect(foldInvoice([issued])).toEqual({
      exists: true,
      invoiceId: '42',
      customerId: 'c',
      amount: EUR_10,
      issuedAt: T0,
      dueDate: null,
      description: null,
      voidedAt: null,
      status: 'PENDING',
      attempts: [],
      openAttempt: null,
      lastFailure: null,
      requeuedAfterAttempt: 0,
      nextRetry: null,
      retriesExhausted: null,
    });
  });

  it('keeps every attempt, in order, with how it ended', () => {
    const { state } = given(
      issue(),
      claim(),
      failed(1),
      requeue(),
      claim('manual-1'),
      unknown(2),
      resolve('PAID'),
    );
    const invoice = invoiceOf(state);
    expect(
      invoice.attempts.map(({ attempt, runId, outcome, providerSaid, resolvedAs }) => ({
        attempt,
        runId,
        outcome,
        providerSaid,
        resolvedAs,
      })),
    ).toEqual([
      { attempt: 1, runId: '2025-05', outcome: 'FAILED', providerSaid: 'FAILED', resolvedAs: null },
      { attempt: 2, runId: 'manual-1', outcome: 'UNKNOWN', providerSaid: null, resolvedAs: 'PAID' },
    ]);
    expect(invoice.requeuedAfterAttempt).toBe(1);
    expect(invoice.status).toBe('PAID');
  });

  it('moves the attempt timeout on a re-drive', () => {
    const { state, events } = given(issue(), claim());
    const redriven = foldInvoice([
      ...events,
      {
        type: 'ChargeRedriven',
        data: { ...stage, attempt: 1, redrivenAt: '2025-05-02T00:00:00.000Z' },
      },
    ]);
    expect(invoiceOf(redriven).openAttempt?.lastDrivenAt).toBe('2025-05-02T00:00:00.000Z');
    expect(invoiceOf(redriven).openAttempt?.attemptedAt).toBe(
      invoiceOf(state).openAttempt?.attemptedAt,
    );
  });

  it('replays the same state from the JSON the store gives back', () => {
    const { state, events } = given(issue(), claim(), unknown(1), paid(1));
    expect(foldInvoice(JSON.parse(JSON.stringify(events)) as InvoiceEvent[])).toEqual(state);
  });
});

describe('a stream decide could not have written', () => {
  it.each([
    [
      'an event before InvoiceIssued',
      [
        {
          type: 'InvoiceRequeued',
          data: {
            invoiceId: '42',
            afterAttempt: 0,
            requestedBy: null,
            note: null,
            instanceId: 'i',
            at: T0,
          },
        },
      ],
      'the invoice was never issued',
    ],
    ['InvoiceIssued twice', [issued, issued], 'the invoice was already issued'],
    [
      'an attempt out of order',
      [
        issued,
        {
          type: 'ChargeAttempted',
          data: { ...stage, attempt: 2, customerId: 'c', amount: EUR_10, attemptedAt: T0 },
        },
      ],
      'attempt 2 follows 0 attempts',
    ],
    [
      'an outcome for an attempt never made',
      [issued, { type: 'InvoicePaid', data: { ...stage, attempt: 1, amount: EUR_10, paidAt: T0 } }],
      'attempt 1 was never made',
    ],
  ] as [string, InvoiceEvent[], string][])(
    'throws StreamCorruptError on %s',
    (_, events, detail) => {
      expect(() => foldInvoice(events)).toThrow(StreamCorruptError);
      expect(() => foldInvoice(events)).toThrow(detail);
      expect(() => foldInvoice(events)).toThrow('invoice stream is corrupt');
    },
  );
});

describe('deriveInvoiceStatus', () => {
  const record = (attempt: number, patch: Partial<ChargeAttemptRecord>): ChargeAttemptRecord => ({
    attempt,
    idempotencyKey: `invoice-42-attempt-${attempt}`,
    runId: 'r',
    instanceId: 'i',
    attemptedAt: T0,
    lastDrivenAt: T0,
    retry: 0,
    scheduledAfter: null,
    outcome: 'OPEN',
    providerSaid: null,
    failureReason: null,
    resolvedAs: null,
    ...patch,
  });
  const paidLate = record(1, { outcome: 'UNKNOWN', providerSaid: 'PAID' });

  it.each([
    ['no attempt', [], 0, 'PENDING'],
    ['an open attempt', [record(1, {})], 0, 'PROCESSING'],
    [
      'an open attempt after a late payment of an earlier one',
      [paidLate, record(2, {})],
      1,
      'PROCESSING',
    ],
    ['a payment', [record(1, { outcome: 'PAID', providerSaid: 'PAID' })], 0, 'PAID'],
    ['a late payment after a requeue', [paidLate], 1, 'PAID'],
    ['a resolution as paid', [record(1, { outcome: 'UNKNOWN', resolvedAs: 'PAID' })], 0, 'PAID'],
    ['a failure', [record(1, { outcome: 'FAILED', providerSaid: 'FAILED' })], 0, 'FAILED'],
    [
      'a failure, requeued',
      [record(1, { outcome: 'FAILED', providerSaid: 'FAILED' })],
      1,
      'PENDING',
    ],
    ['an unknown outcome', [record(1, { outcome: 'UNKNOWN' })], 0, 'UNKNOWN'],
    [
      'an unknown outcome resolved as failed',
      [record(1, { outcome: 'UNKNOWN', resolvedAs: 'FAILED' })],
      0,
      'FAILED',
    ],
  ] as [string, ChargeAttemptRecord[], number, string][])(
    'with %s is %s',
    (_, attempts, requeuedAfter, status) => {
      expect(deriveInvoiceStatus(attempts, requeuedAfter)).toBe(status);
    },
  );
});

describe('event data is JSON', () => {
  it('is assignable to the event store JsonObject (checked by the compiler)', () => {
    const data: JsonObject[] = given(
      issue(),
      claim(),
      unknown(1),
      resolve('FAILED'),
      requeue(),
    ).events.map((event) => event.data);
    expect(data).toHaveLength(5);
  });
});
