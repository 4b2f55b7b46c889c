import type { InvoicePage } from '../../src/api/read-models/invoice-read-model.port';
import type { InvoiceSnapshot } from '../../src/billing/engine/billing-read-model.port';
import type { RetryPolicy } from '../../src/billing/domain';
import type { Position } from '../../src/event-store/position';
import { minutesAfterT0 } from '../billing/domain/invoice-test-kit';
import { DomainWriter } from './projection-test-kit';
import type { ReadModelSubject } from './read-model.contract';

// Generous: this setup once timed out on PGlite (20 s to project, 60 s for the hook) while
// three other suites ran on a machine at load 23.
const WAIT_MS = 60_000;
const SETUP_MS = 180_000;

/** Declines are retried 10 and then 20 minutes later, network failures an hour later. */
const POLICY: RetryPolicy = {
  name: 'contract',
  retries: { INSUFFICIENT_FUNDS: ['10m', '20m'], NETWORK: ['1h'] },
};

const RETRY_RUN = 'retry-20250501T020000Z';
const SECOND_RETRY_RUN = 'retry-20250501T023000Z';
const USD_12_34 = { value: '12.34', currency: 'USD' } as const;
const EUR_2_50 = { value: '2.50', currency: 'EUR' } as const;

/** The instant `minute` minutes after T0, less `ms` milliseconds. */
const at = (minute: number, ms = 0) => new Date(Date.parse(minutesAfterT0(minute)) - ms);

/**
 * The read side of dunning (docs/design.md §2.11): the retry scan's queries
 * (`scanRetriesDue`, `anyRetryDue`), the lists a client pages (`byRetry`) and what a retry
 * run collected. Its own story, on a fresh subject, so the totals are exact. Every retry
 * that was cancelled (requeue, void), claimed, paid or exhausted was due before the
 * earliest retry still scheduled, so the boundary cases show none of them counts.
 */
export function describeRetryReadModelContract<Subject extends ReadModelSubject>(
  open: () => Promise<Subject>,
): void {
  describe('dunning: retries due, the retry lists, a retry run', () => {
    let subject: Subject;

    beforeAll(async () => {
      subject = await open();
      subject.start();
      await subject.status.waitFor(await writeDunningStory(subject), WAIT_MS);
    }, SETUP_MS);

    afterAll(async () => subject?.close());

    const ids = (items: readonly { invoiceId: string }[]) => items.map((item) => item.invoiceId);
    const refs = (snapshots: InvoiceSnapshot[]) =>
      snapshots.map(({ invoiceId, revision, state }) => ({
        invoiceId,
        revision,
        retry: state.exists ? state.nextRetry?.retryNumber : undefined,
      }));

    it('scans the FAILED invoices whose retry is due, at its time exactly and not before', async () => {
      const { invoices } = subject;
      // The earliest retry still scheduled: invoice 12's second, at minute 151.
      expect(await invoices.scanRetriesDue(at(151, 1), null, 10)).toEqual([]);
      expect(refs(await invoices.scanRetriesDue(at(151), null, 10))).toEqual([
        { invoiceId: '12', revision: 6n, retry: 2 },
      ]);
      expect(ids(await invoices.scanRetriesDue(at(163), null, 10))).toEqual(['1', '12']);
      expect(ids(await invoices.scanRetriesDue(at(170, 1), null, 10))).toEqual(['1', '12']);
      expect(refs(await invoices.scanRetriesDue(at(170), null, 10))).toEqual([
        { invoiceId: '1', revision: 3n, retry: 1 },
        { invoiceId: '9', revision: 3n, retry: 1 },
        { invoiceId: '12', revision: 6n, retry: 2 },
      ]);
    });

    it('scans retries due by keyset: after, up to, limit', async () => {
      const { invoices } = subject;
      const later = at(10_000);
      expect(ids(await invoices.scanRetriesDue(later, '1', 10))).toEqual(['9', '12']);
      expect(ids(await invoices.scanRetriesDue(later, '9', 10))).toEqual(['12']);
      expect(ids(await invoices.scanRetriesDue(later, '12', 10))).toEqual([]);
      expect(ids(await invoices.scanRetriesDue(later, null, 2))).toEqual(['1', '9']);
      expect(ids(await invoices.scanRetriesDue(later, null, 10, '9'))).toEqual(['1', '9']);
      // "5" is no invoice with a retry: a cursor all the same.
      expect(ids(await invoices.scanRetriesDue(later, '5', 10, '10'))).toEqual(['9']);
    });

    it('says whether any retry is due, from the same boundary', async () => {
      const { invoices } = subject;
      expect(await invoices.anyRetryDue(at(0))).toBe(false);
      // Minute 150: the cancelled, claimed and exhausted retries were all due long before.
      expect(await invoices.anyRetryDue(at(151, 1))).toBe(false);
      expect(await invoices.anyRetryDue(at(151))).toBe(true);
      expect(await invoices.anyRetryDue(at(10_000))).toBe(true);
    });

    it('lists the invoices awaiting a retry, with its time and the retries left, and pages', async () => {
      const { invoices } = subject;
      const first = await invoices.byRetry('awaiting-retry', { page: 0, size: 2 });
      expect({ ...first, items: ids(first.items) }).toEqual({
        items: ['1', '9'],
        page: 0,
        size: 2,
        total: 3,
        next: '9',
      });
      const rest = await invoices.byRetry('awaiting-retry', { after: '9', size: 2 });
      expect({ ...rest, items: ids(rest.items) }).toEqual({
        items: ['12'],
        page: null,
        size: 2,
        total: 3,
        next: null,
      });
      expect(ids((await invoices.byRetry('awaiting-retry', { page: 1, size: 2 })).items)).toEqual([
        '12',
      ]);
      const all = await invoices.byRetry('awaiting-retry', { page: 0, size: 10 });
      expect(all.items.map(retryColumns)).toEqual([
        retryRow('1', 'FAILED', 1, minutesAfterT0(163), 2, false),
        retryRow('9', 'FAILED', 1, minutesAfterT0(170), 1, false),
        retryRow('12', 'FAILED', 2, minutesAfterT0(151), 1, false),
      ]);
      for (const view of all.items) expect(await invoices.get(view.invoiceId)).toEqual(view);
    });

    it('lists the invoices whose retries are exhausted, the permanent failure included', async () => {
      const { invoices } = subject;
      const exhausted = await invoices.byRetry('retries-exhausted', { page: 0, size: 10 });
      expect(exhausted.items.map(retryColumns)).toEqual([
        retryRow('4', 'FAILED', 3, null, 0, true),
        retryRow('5', 'FAILED', 1, null, 0, true),
      ]);
      expect(exhausted).toMatchObject({ page: 0, total: 2, next: null });
      expect(pageOf(await invoices.byRetry('retries-exhausted', { after: '4', size: 1 }))).toEqual({
        items: ['5'],
        total: 2,
        next: null,
      });
      // Past the last: empty, and still the list's total.
      expect(pageOf(await invoices.byRetry('retries-exhausted', { after: '5', size: 10 }))).toEqual(
        { items: [], total: 2, next: null },
      );
      expect(await invoices.retryCounts()).toEqual({
        'awaiting-retry': 3,
        'retries-exhausted': 2,
      });
    });

    it('drops a retry from both lists once it is cancelled, claimed, paid or unknown', async () => {
      const { invoices } = subject;
      const views = await Promise.all(
        ['2', '3', '6', '7', '8', '10', '11'].map(async (id) =>
          retryColumns((await invoices.get(id))!),
        ),
      );
      expect(views).toEqual([
        retryRow('2', 'PENDING', 1, null, null, false), // requeued: its retry cancelled
        retryRow('3', 'VOID', 1, null, null, false), // voided: its retry cancelled
        retryRow('6', 'PAID', 2, null, null, false),
        retryRow('7', 'PAID', 2, null, null, false),
        retryRow('8', 'PAID', 2, null, null, false),
        retryRow('10', 'PROCESSING', 2, null, null, false), // its retry claimed, still open
        retryRow('11', 'PAID', 1, null, null, false), // UNKNOWN, resolved PAID: no dunning
      ]);
    });

    it('sums what each run collected by currency: retries paid, and resolved PAID', async () => {
      const runs = subject.billingRuns;
      expect(await runs.get(RETRY_RUN)).toMatchObject({
        trigger: 'retry',
        counts: { processing: 1, paid: 3, failed: 2, unknown: 0 },
        collected: [
          { value: '12.50', currency: 'EUR' },
          { value: '12.34', currency: 'USD' },
        ],
      });
      expect(await runs.get(SECOND_RETRY_RUN)).toMatchObject({
        trigger: 'retry',
        counts: { processing: 0, paid: 0, failed: 1, unknown: 0 },
        collected: [],
      });
      // Twelve first attempts: none paid by the provider, one resolved PAID by a person.
      expect(await runs.get('2025-05')).toMatchObject({
        trigger: 'scheduled',
        counts: { processing: 0, paid: 1, failed: 11, unknown: 0 },
        collected: [{ value: '10.00', currency: 'EUR' }],
      });
    });
  });
}

function pageOf(page: InvoicePage) {
  const { items, total, next } = page;
  return { items: items.map((item) => item.invoiceId), total, next };
}

type RetryColumns = ReturnType<typeof retryRow>;

function retryRow(
  invoiceId: string,
  status: string,
  attempts: number,
  nextRetryAt: string | null,
  retriesLeft: number | null,
  retriesExhausted: boolean,
) {
  return { invoiceId, status, attempts, nextRetryAt, retriesLeft, retriesExhausted };
}

function retryColumns(view: RetryColumns): RetryColumns {
  const { invoiceId, status, attempts, nextRetryAt, retriesLeft, retriesExhausted } = view;
  return { invoiceId, status, attempts, nextRetryAt, retriesLeft, retriesExhausted };
}

/**
 * Twelve invoices through a first run, a retry run and a second retry run, with the
 * policy above. Minutes after T0 (one per command from where the clock is moved):
 *
 * - 100-110: the first run's outcomes: declines (2, 3, 4, 6, 7, 8, 10, 12: retry 1 ten
 *   minutes later), CUSTOMER_NOT_FOUND (5: exhausted at once, never retried), UNKNOWN
 *   (11), NETWORK (9: retry 1 at 170);
 * - 111, 112: 2 requeued and 3 voided, each cancelling its retry (due at 110, 111);
 * - 120-132: the retry run claims retry 1 of 4, 6, 7, 8, 10 and 12; 6, 7 (USD) and 8 are
 *   paid, 4 and 12 declined again (retry 2 at 147 and 151); 10's claim stays open;
 *   11 resolved PAID by a person;
 * - 150-153: a second retry run claims 4's retry 2: declined, exhausted; 1's first
 *   attempt is declined at last (153): retry 1 at 163.
 */
async function writeDunningStory(subject: ReadModelSubject): Promise<Position> {
  const w = new DomainWriter(subject.store, POLICY);
  await w.run({ type: 'StartBillingRun', trigger: 'scheduled', period: '2025-05' }, '2025-05');
  await w.register({ customerId: 'customer-2', currency: 'USD', name: null, email: null });
  for (const id of ['1', '2', '3', '4', '5', '6', '9', '10', '11', '12']) await w.issue(id);
  await w.issue('7', 'customer-2', USD_12_34);
  await w.issue('8', 'customer-1', EUR_2_50);
  for (const id of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'])
    await w.claim(id);

  w.clockAt(100);
  const declined = { kind: 'failed', reason: 'INSUFFICIENT_FUNDS' } as const;
  for (const id of ['2', '3', '4']) await w.outcome(id, 1, declined); // 100-102
  await w.outcome('5', 1, { kind: 'failed', reason: 'CUSTOMER_NOT_FOUND' }); // 103
  for (const id of ['6', '7', '8', '10']) await w.outcome(id, 1, declined); // 104-107
  await w.outcome('11', 1, { kind: 'unknown' }); // 108
  await w.outcome('12', 1, declined); // 109
  await w.outcome('9', 1, { kind: 'failed', reason: 'NETWORK' }); // 110
  await w.invoice({ type: 'RequeueInvoice', invoiceId: '2', note: 'card updated' }); // 111
  await w.invoice({ type: 'VoidInvoice', invoiceId: '3', reason: 'customer left' }); // 112

  w.clockAt(120);
  await w.run({ type: 'StartBillingRun', trigger: 'retry', runId: RETRY_RUN }, RETRY_RUN);
  for (const id of ['4', '6', '7', '8', '10', '12']) await w.claim(id, RETRY_RUN, 1); // 121-126
  await w.outcome('4', 2, declined); // 127: retry 2 at 147
  for (const id of ['6', '7', '8']) await w.outcome(id, 2, { kind: 'paid' }); // 128-130
  await w.outcome('12', 2, declined); // 131: retry 2 at 151
  await w.invoice({ type: 'ResolveInvoice', invoiceId: '11', outcome: 'PAID', note: 'bank' }); // 132

  w.clockAt(150);
  await w.run(
    { type: 'StartBillingRun', trigger: 'retry', runId: SECOND_RETRY_RUN },
    SECOND_RETRY_RUN,
  );
  await w.claim('4', SECOND_RETRY_RUN, 2); // 151
  await w.outcome('4', 3, declined); // 152: exhausted
  return (await w.outcome('1', 1, declined)).position; // 153: retry 1 at 163
}
