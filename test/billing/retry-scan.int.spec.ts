import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import { RequeueInvoiceCommand } from '../../src/billing/commands/requeue-invoice.command';
import type { BillingRunView } from '../../src/api/read-models/billing-run-read-model.port';
import { RetryScheduler } from '../../src/billing/scheduling/retry-scheduler';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { backendsWith } from '../support/backends';
import { waitFor } from '../support/wait-for';
import { billingFixture } from './support/billing-fixture';
import { auditInvoices } from './support/invoice-audit';
import { issueInvoices } from './support/issue-invoices';
import { ManualClock } from './support/manual-clock';
import { ZERO_RATES } from './support/zero-rates';

const DAY = 24 * 60 * 60_000;

/*
 * The retry scan on the real engine and event store (docs/design.md §2.11): declines are
 * retried by the policy as time moves, through a run of trigger `retry`.
 */
describe.each(backendsWith('openStore'))('the retry scan on $name', ({ openStore }) => {
  const fixture = billingFixture(openStore, 'retry_scan');

  async function completed(runId: string): Promise<BillingRunView> {
    let view: BillingRunView | null = null;
    await waitFor(
      async () => (view = await fixture.readModels.run(runId))?.status === 'COMPLETED',
      {
        timeoutMs: 30_000,
        message: `run ${runId} to complete`,
      },
    );
    return view!;
  }

  it('collects a decline on a retry, exhausts one that keeps declining, and lets a requeue win', async () => {
    const { store, readModels } = fixture;
    const { ids } = await issueInvoices(store, 6);
    const provider = new SimulatedPaymentProvider({ rates: ZERO_RATES });
    provider.script('1', 'declined', 'paid'); // money arrives before the first retry
    provider.script('2', 'declined', 'declined', 'declined', 'paid'); // paid on retry 3
    provider.script('3', 'declined'); // never: retries exhausted
    provider.script('4', 'declined', 'paid'); // requeued by hand while a retry is scheduled
    provider.script('5', 'customer_not_found'); // never retried
    const clock = new ManualClock(new Date('2026-12-01T08:00:00.000Z'));
    const instance = await fixture.start({
      instanceId: 'instance-a',
      provider,
      clock,
    });
    const retries = instance.module.get(RetryScheduler);

    const run = await instance.commandBus.execute(new StartBillingRunCommand('manual', null));
    expect((await completed(run.runId)).counts).toMatchObject({ paid: 1, failed: 5 });
    expect(await retries.fire()).toBeNull(); // nothing due yet

    await instance.commandBus.execute(new RequeueInvoiceCommand('4', 'ops', 'card updated'));
    clock.advance(3 * DAY);
    const first = (await retries.fire())!;
    expect(first.runId).toMatch(/^retry-20261204T08\d{4}Z$/);
    expect(await completed(first.runId)).toMatchObject({
      trigger: 'retry',
      counts: { processing: 0, paid: 1, failed: 2, unknown: 0 },
      collected: [{ value: '10.00', currency: 'EUR' }],
    });

    for (const days of [5, 7]) {
      clock.advance(days * DAY);
      await completed((await retries.fire())!.runId);
    }
    expect(await retries.fire()).toBeNull();

    const { invoices } = await auditInvoices(store, ids);
    const statusOf = (id: string) => invoices.get(id)!.status;
    expect(ids.map(statusOf)).toEqual(['PAID', 'PAID', 'FAILED', 'PENDING', 'FAILED', 'PAID']);
    // Retry numbers and keys, from the log: one attempt per retry, each with a new key.
    const retriesOf = (id: string) => invoices.get(id)!.attempts.map((attempt) => attempt.retry);
    expect(retriesOf('1')).toEqual([0, 1]);
    expect(retriesOf('2')).toEqual([0, 1, 2, 3]);
    expect(retriesOf('3')).toEqual([0, 1, 2, 3]);
    expect(retriesOf('4')).toEqual([0]); // the requeue cancelled retry 1: PENDING for a run
    expect(retriesOf('5')).toEqual([0]);
    expect(invoices.get('3')!.retriesExhausted).toMatchObject({ retriesMade: 3 });
    expect(provider.ledger.doubleCharges()).toEqual([]);
    expect(provider.ledger.size).toBe(6 + 1 + 3 + 3);

    const exhausted = await readModels.invoiceReadModel.byRetry('retries-exhausted', {
      page: 0,
      size: 10,
    });
    expect(exhausted.items.map((invoice) => invoice.invoiceId)).toEqual(['3', '5']);
    const failures = await readModels.invoiceReadModel.failures('3');
    expect(failures!.map((failure) => failure.then)).toEqual([
      {
        kind: 'retry',
        retryNumber: 1,
        at: expect.stringMatching(/^2026-12-04T08:00:0/),
        policy: 'default',
      },
      expect.objectContaining({ kind: 'retry', retryNumber: 2 }),
      expect.objectContaining({ kind: 'retry', retryNumber: 3 }),
      { kind: 'exhausted', retriesMade: 3, policy: 'default' },
    ]);
  });
});
