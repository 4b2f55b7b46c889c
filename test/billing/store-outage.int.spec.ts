import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { openPostgresStore, type OpenStore } from '../support/event-store-backends';
import { waitFor } from '../support/wait-for';
import { startBillingInstance, type BillingInstance } from './support/billing-instance';
import { FlakyEventStore } from './support/flaky-event-store';
import { InMemoryReadModels } from './support/in-memory-read-models';
import { auditInvoices } from './support/invoice-audit';
import { seedInvoices } from './support/seed-invoices';
import { ZERO_RATES } from './support/zero-rates';

const INVOICES = 150;

describe('the event store goes away in the middle of a run', () => {
  let backend: OpenStore;
  let readModels: InMemoryReadModels;
  let instance: BillingInstance | undefined;

  beforeEach(async () => {
    backend = await openPostgresStore('billing_outage');
    readModels = new InMemoryReadModels(backend.store);
  });

  afterEach(async () => {
    await instance?.close();
    await readModels.close();
    await backend.close();
  });

  it('pauses, resumes, and loses no outcome, even when an append landed but its answer did not', async () => {
    const { ids } = await seedInvoices(backend.store, INVOICES);
    const flaky = new FlakyEventStore(backend.store);
    // Not idempotent: a claim or charge repeated after the outage would show in the ledger.
    const provider = new SimulatedPaymentProvider({
      idempotent: false,
      lookup: false,
      rates: { ...ZERO_RATES, declined: 0.1 },
    });
    let charged = 0;
    provider.onCharge((event) => {
      // The store goes down with charges in flight: their outcomes have nowhere to go.
      if (event.phase === 'processed' && ++charged === 40) flaky.down = true;
    });
    instance = await startBillingInstance({
      instanceId: 'instance-a',
      store: flaky,
      provider,
      readModels,
    });

    const { runId } = await instance.commandBus.execute(new StartBillingRunCommand('manual', null));
    await waitFor(() => flaky.refused >= 20, { message: 'the engine to keep retrying' });
    // Back up, but some appends land without their answer reaching the engine: outcomes,
    // and a page of claims (retried as is, it must be recognised as ours and charged).
    flaky.loseAcks(2, (event) => event.type !== 'ChargeAttempted');
    flaky.loseAcks(1, (event) => event.type === 'ChargeAttempted');
    flaky.down = false;
    await waitFor(async () => (await readModels.run(runId))?.status === 'COMPLETED', {
      timeoutMs: 20_000,
      message: 'the run to complete',
    });

    expect(flaky.lostAcks).toBe(3);
    const { invoices, byStatus } = await auditInvoices(backend.store, ids);
    expect(byStatus).toMatchObject({ PENDING: 0, PROCESSING: 0, UNKNOWN: 0 });
    expect(byStatus.PAID + byStatus.FAILED).toBe(INVOICES);
    for (const invoice of invoices.values()) expect(invoice.attempts).toHaveLength(1);
    expect(provider.ledger.size).toBe(INVOICES);
    expect(provider.ledger.doubleCharges()).toEqual([]);
    expect(byStatus.PAID).toBe(provider.ledger.successfulCharges().length);
  });
});
