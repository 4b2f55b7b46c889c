import type { BillingRunReadModel } from '../../src/api/read-models/billing-run-read-model.port';
import type { CustomerReadModel } from '../../src/api/read-models/customer-read-model.port';
import type { InvoiceReadModel } from '../../src/api/read-models/invoice-read-model.port';
import type {
  BillingRunProgress,
  InvoiceScan,
  InvoiceSnapshot,
  ProjectionStatus,
} from '../../src/billing/engine/billing-read-model.port';
import type { InvoiceCounts } from '../../src/cli/invoice-counts.port';
import { ProjectionWaitTimeoutError } from '../../src/billing/engine/projection-wait-timeout.error';
import type { EventStore } from '../../src/event-store/event-store.port';
import type { Position } from '../../src/event-store/position';
import { DomainWriter } from './projection-test-kit';
import { describeRetryReadModelContract } from './retry-read-model.contract';

/** The read side under test: every port, over the events of `store`. */
export interface ReadModelSubject {
  readonly store: EventStore;
  /** The API's, the engine's and the CLI's ports of the invoices table: one object serves them. */
  readonly invoices: InvoiceReadModel & InvoiceScan & InvoiceCounts;
  readonly customers: CustomerReadModel;
  /** The API's views of the runs, and the engine's lean view of the same tables. */
  readonly billingRuns: BillingRunReadModel;
  readonly runProgress: BillingRunProgress;
  readonly status: ProjectionStatus;
  /** Starts following the log: what is in it is caught up, what follows arrives live. */
  start(): void;
  close(): Promise<void>;
}

const WAIT_MS = 20_000;

/**
 * The read-model contract: what the engine and the API rely on from the read side. The
 * SQL read models (fed by the real projectors, on PostgreSQL and PGlite) and the tests'
 * in-memory fake pass these same cases; where they differ, the fake is wrong. `more`
 * adds cases of one implementation on the same story.
 */
export function describeReadModelContract<Subject extends ReadModelSubject>(
  name: string,
  open: () => Promise<Subject>,
  more: (subject: () => Subject, lastPosition: () => Position) => void = () => undefined,
): void {
  describe(`read-model contract: ${name}`, () => {
    let subject: Subject;
    let lastPosition: Position;

    beforeAll(async () => {
      subject = await open();
      const writer = new DomainWriter(subject.store);
      const caughtUp = await writeBeforeStart(writer);
      subject.start();
      await subject.status.waitFor(caughtUp, WAIT_MS);
      lastPosition = await writeLive(writer);
      await subject.status.waitFor(lastPosition, WAIT_MS);
    });

    afterAll(async () => subject?.close());

    it('folds invoices with the domain: statuses, attempts, last failure, revision', async () => {
      const { invoices } = subject;
      const statuses = Object.fromEntries(
        (await invoices.list({ page: 0, size: 100 })).items.map((view) => [
          view.invoiceId,
          view.status,
        ]),
      );
      expect(statuses).toEqual({
        '1': 'PAID',
        '2': 'PAID',
        '3': 'PAID',
        '4': 'PROCESSING',
        '5': 'PENDING',
        '10': 'PAID',
        '11': 'FAILED',
        '12': 'UNKNOWN',
        '20': 'PENDING',
      });
      expect(await invoices.get('11')).toMatchObject({
        customerId: 'customer-1',
        amount: { value: '10.00', currency: 'EUR' },
        attempts: 1,
        lastFailure: {
          attempt: 1,
          reason: 'CUSTOMER_NOT_FOUND',
          message: 'who?',
          retryable: false,
        },
        processingSince: null,
        revision: 2n,
      });
      expect(await invoices.get('20')).toMatchObject({
        amount: { value: '0.30', currency: 'USD' },
        attempts: 0,
        lastFailure: null,
        dueDate: '2025-06-15',
        description: 'June plan',
      });
      expect(await invoices.get('5')).toMatchObject({ dueDate: null, description: null });
      const processing = await invoices.get('4');
      expect(processing?.processingSince).toMatch(/^2025-05-01T00:\d\d:00\.000Z$/);
      expect(await invoices.get('2')).toMatchObject({ attempts: 2, revision: 5n });
      expect(await invoices.get('nope')).toBeNull();
    });

    it('keeps the failure history, unknown outcomes included, oldest first', async () => {
      const { invoices } = subject;
      expect(await invoices.failures('3')).toEqual([
        expect.objectContaining({
          attempt: 1,
          reason: 'AMBIGUOUS_NETWORK_ERROR',
          retryable: false,
        }),
        expect.objectContaining({
          attempt: 1,
          reason: 'INSUFFICIENT_FUNDS',
          message: 'late',
          retryable: true,
        }),
      ]);
      expect(await invoices.failures('12')).toEqual([
        expect.objectContaining({ attempt: 1, reason: 'ATTEMPT_TIMED_OUT', retryable: false }),
      ]);
      expect(await invoices.failures('1')).toEqual([]);
      expect(await invoices.failures('nope')).toBeNull();
    });

    it('orders by id, shorter first, and pages', async () => {
      const { invoices } = subject;
      const page = await invoices.list({ page: 1, size: 3 });
      expect(page).toMatchObject({ page: 1, size: 3, total: 9, next: '10' });
      expect(page.items.map((view) => view.invoiceId)).toEqual(['4', '5', '10']);
      const paid = await invoices.byStatus('PAID', { page: 0, size: 10 });
      expect(paid.items.map((view) => view.invoiceId)).toEqual(['1', '2', '3', '10']);
      expect(paid.total).toBe(4);
      expect(await invoices.countByStatus()).toEqual({
        PENDING: 2,
        PROCESSING: 1,
        PAID: 4,
        FAILED: 1,
        UNKNOWN: 1,
        VOID: 0,
      });
      await expect(invoices.list({ page: 0, size: 501 })).rejects.toThrow(RangeError);
    });

    it('pages the same views as it answers one by one (failures, money, revisions, times)', async () => {
      const { invoices } = subject;
      const { items } = await invoices.list({ page: 0, size: 100 });
      expect(items.length).toBeGreaterThan(0);
      expect(items.some((view) => view.lastFailure !== null)).toBe(true);
      for (const view of items) {
        expect(typeof view.revision).toBe('bigint');
        expect(view).toEqual(await invoices.get(view.invoiceId));
      }
    });

    it('pages by cursor: the size after it, in id order, next null at the end', async () => {
      const { invoices } = subject;
      const ids = (page: { items: readonly { invoiceId: string }[] }): string[] =>
        page.items.map((view) => view.invoiceId);
      const walked: string[][] = [];
      let page = await invoices.list({ page: 0, size: 4 });
      for (;;) {
        walked.push(ids(page));
        const after = page.next;
        if (after === null) break;
        page = await invoices.list({ after, size: 4 });
        expect(page).toMatchObject({ page: null, size: 4, total: 9 });
      }
      expect(walked).toEqual([['1', '2', '3', '4'], ['5', '10', '11', '12'], ['20']]);
      // Ids that are not invoices are cursors too: "9" sorts between "5" and "10".
      expect(ids(await invoices.byStatus('PAID', { after: '9', size: 10 }))).toEqual(['10']);
      const paid = await invoices.byStatus('PAID', { after: '1', size: 2 });
      expect(paid).toMatchObject({ page: null, total: 4, next: '3' });
      expect(ids(paid)).toEqual(['2', '3']);
      expect(await invoices.byStatus('PAID', { after: '10', size: 2 })).toMatchObject({
        items: [],
        next: null,
        total: 4,
      });
      await expect(invoices.list({ after: '-1', size: 2 })).rejects.toThrow(RangeError);
    });

    it('scans invoices of a status by keyset and finds stale attempts', async () => {
      const { invoices } = subject;
      const refs = (snapshots: InvoiceSnapshot[]) =>
        snapshots.map(({ invoiceId, revision }) => ({ invoiceId, revision }));
      expect(refs(await invoices.scanByStatus('PENDING', null, 10))).toEqual([
        { invoiceId: '5', revision: 0n },
        { invoiceId: '20', revision: 0n },
      ]);
      expect(refs(await invoices.scanByStatus('PENDING', '5', 10))).toEqual([
        { invoiceId: '20', revision: 0n },
      ]);
      expect(refs(await invoices.scanByStatus('PENDING', null, 1))).toEqual([
        { invoiceId: '5', revision: 0n },
      ]);
      expect(refs(await invoices.scanByStatus('PENDING', null, 10, '5'))).toEqual([
        { invoiceId: '5', revision: 0n },
      ]);
      expect(await invoices.staleAttempts(new Date('2025-06-01T00:00:00Z'), 10)).toEqual([
        { invoiceId: '4', revision: 1n },
      ]);
      expect(await invoices.staleAttempts(new Date('2025-05-01T00:00:00Z'), 10)).toEqual([]);
    });

    it('scans the PENDING invoices due by a billing date; no due date: due at once', async () => {
      const { invoices } = subject;
      const ids = (snapshots: InvoiceSnapshot[]) => snapshots.map(({ invoiceId }) => invoiceId);
      expect(ids(await invoices.scanDue('2025-06-14', null, 10))).toEqual(['5']);
      expect(ids(await invoices.scanDue('2025-06-15', null, 10))).toEqual(['5', '20']);
      expect(ids(await invoices.scanDue('2030-01-01', '5', 10))).toEqual(['20']);
      expect(ids(await invoices.scanDue('2030-01-01', null, 10, '5'))).toEqual(['5']);
      expect(ids(await invoices.scanDue('2030-01-01', null, 1))).toEqual(['5']);
    });

    it('gives each invoice with its snapshot: the fold of its stream at that revision', async () => {
      const { invoices } = subject;
      const [snapshot] = await invoices.scanByStatus('PENDING', null, 1);
      expect(snapshot.state).toMatchObject({
        exists: true,
        invoiceId: '5',
        status: 'PENDING',
        attempts: [],
        amount: { value: '10.00', currency: 'EUR' },
      });
    });

    it('picks a random invoice of a status, or none', async () => {
      const { invoices } = subject;
      const picked = new Set<string | null>();
      for (let i = 0; i < 40; i++) picked.add(await invoices.randomInStatus('PENDING'));
      expect(picked).toEqual(new Set(['5', '20']));
      expect(await invoices.randomInStatus('PROCESSING')).toBe('4');
      expect(await invoices.randomInStatus('UNKNOWN')).toBe('12');
    });

    it('counts each run attempt by how it stands now', async () => {
      const runs = subject.billingRuns;
      // 1 paid; 2: failed, then paid on attempt 2; 3 resolved paid (the late failure
      // does not take the money back); 4 open; 10 paid late; 11 failed; 12 unknown.
      expect(await runs.get('2025-05')).toMatchObject({
        runId: '2025-05',
        period: '2025-05',
        trigger: 'scheduled',
        status: 'COMPLETED',
        counts: { processing: 1, paid: 4, failed: 2, unknown: 1 },
      });
      expect((await runs.get('2025-05'))?.completedAt).not.toBeNull();
      expect((await runs.list({ page: 0, size: 10 })).total).toBe(1);
      expect(await subject.runProgress.get('2025-05')).toMatchObject({
        runId: '2025-05',
        status: 'COMPLETED',
        counts: { processing: 1, paid: 4, failed: 2, unknown: 1 },
      });
      expect(await subject.runProgress.get('no-such-run')).toBeNull();
      expect(await subject.runProgress.running()).toEqual([]);
    });

    it('lists customers as registered, or from their invoices', async () => {
      const { customers } = subject;
      expect((await customers.list({ page: 0, size: 10 })).items).toEqual([
        { customerId: 'customer-1', currency: 'EUR', invoices: 8, name: null, email: null },
        {
          customerId: 'customer-2',
          currency: 'USD',
          invoices: 1,
          name: 'Bea',
          email: 'b@example.com',
        },
      ]);
      expect(await customers.get('customer-9')).toBeNull();
    });

    it('waits for a position until the read models reach it, or times out', async () => {
      await expect(subject.status.waitFor(lastPosition, 1_000)).resolves.toBeUndefined();
      const beyond = {
        commit: lastPosition.commit + 1_000n,
        prepare: lastPosition.prepare + 1_000n,
      };
      await expect(subject.status.waitFor(beyond, 50)).rejects.toBeInstanceOf(
        ProjectionWaitTimeoutError,
      );
    });

    more(
      () => subject,
      () => lastPosition,
    );

    describeRetryReadModelContract(open);

    // Last: it adds a run to the story.
    it('lists the runs started and not completed as running, newest first in the list', async () => {
      const writer = new DomainWriter(subject.store);
      const started = await writer.run(
        { type: 'StartBillingRun', trigger: 'manual', runId: 'manual-1' },
        'manual-1',
      );
      await subject.status.waitFor(started.position, WAIT_MS);
      expect(await subject.runProgress.running()).toMatchObject([
        {
          runId: 'manual-1',
          status: 'RUNNING',
          counts: { processing: 0, paid: 0, failed: 0, unknown: 0 },
        },
      ]);
      expect(await subject.billingRuns.get('manual-1')).toMatchObject({
        period: null,
        trigger: 'manual',
        status: 'RUNNING',
        completedAt: null,
        counts: { processing: 0, paid: 0, failed: 0, unknown: 0 },
      });
      const listed = await subject.billingRuns.list({ page: 0, size: 1 });
      expect(listed).toMatchObject({ page: 0, size: 1, total: 2 });
      expect(listed.items.map((run) => run.runId)).toEqual(['manual-1']);
      const completed = await writer.run(
        { type: 'CompleteBillingRun', runId: 'manual-1' },
        'manual-1',
      );
      await subject.status.waitFor(completed.position, WAIT_MS);
      expect(await subject.runProgress.running()).toEqual([]);
    });
  });
}

/**
 * The story of a month, written through the domain's decide: every kind of outcome,
 * a late truth after UNKNOWN, a requeue, a resolution contradicted by the provider.
 * Half is in the log before the projectors start (catch-up), half arrives live.
 */
async function writeBeforeStart(w: DomainWriter): Promise<Position> {
  await w.run({ type: 'StartBillingRun', trigger: 'scheduled', period: '2025-05' }, '2025-05');
  for (const id of ['1', '2', '3', '4', '5', '10', '11', '12']) await w.issue(id);
  await w.register({
    customerId: 'customer-2',
    currency: 'USD',
    name: 'Bea',
    email: 'b@example.com',
  });
  await w.invoice({
    type: 'IssueInvoice',
    invoiceId: '20',
    customerId: 'customer-2',
    amount: { value: '0.30', currency: 'USD' },
    dueDate: '2025-06-15',
    description: 'June plan',
  });
  for (const id of ['1', '2', '3', '4', '10', '11', '12']) await w.claim(id);
  await w.outcome('1', 1, { kind: 'paid' });
  await w.outcome('2', 1, { kind: 'failed', reason: 'INSUFFICIENT_FUNDS' });
  return (await w.outcome('3', 1, { kind: 'unknown' })).position;
}

async function writeLive(w: DomainWriter): Promise<Position> {
  await w.invoice({ type: 'RequeueInvoice', invoiceId: '2', note: 'card updated' });
  await w.claim('2');
  await w.outcome('2', 2, { kind: 'paid' });
  await w.invoice({ type: 'ResolveInvoice', invoiceId: '3', outcome: 'PAID', note: 'dashboard' });
  // The provider's late answer contradicts the person: a fact, kept, but PAID stays PAID.
  await w.outcome('3', 1, { kind: 'failed', reason: 'INSUFFICIENT_FUNDS', message: 'late' });
  await w.outcome('10', 1, { kind: 'unknown' });
  await w.outcome('10', 1, { kind: 'paid' });
  await w.outcome('11', 1, { kind: 'failed', reason: 'CUSTOMER_NOT_FOUND', message: 'who?' });
  await w.invoice({
    type: 'MarkOutcomeUnknown',
    invoiceId: '12',
    attempt: 1,
    attemptTimeoutMs: 60_000,
  });
  return (await w.run({ type: 'CompleteBillingRun', runId: '2025-05' }, '2025-05')).position;
}
