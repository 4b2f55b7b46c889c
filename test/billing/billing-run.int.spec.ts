import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { backendsWith } from '../support/backends';
import { waitFor } from '../support/wait-for';
import { billingFixture } from './support/billing-fixture';
import { auditInvoices } from './support/invoice-audit';
import { issueInvoices } from './support/issue-invoices';
import { ZERO_RATES } from './support/zero-rates';

describe.each(backendsWith('openStore'))('a billing run on $name', ({ openStore }) => {
  const fixture = billingFixture(openStore, 'billing_run');

  it('charges every pending invoice exactly once and completes the run', async () => {
    const { store, readModels } = fixture;
    const { ids } = await issueInvoices(store, 400);
    // Every failure path of the simulator, idempotent provider: ambiguous charges are
    // retried with their own key, transient ones are retried, the rest fail definitely.
    const provider = new SimulatedPaymentProvider({
      seed: 7,
      rates: {
        declined: 0.05,
        customer_not_found: 0.02,
        currency_mismatch: 0.02,
        network_error: 0.05,
        ambiguous_charged: 0.05,
        ambiguous_not_charged: 0.05,
      },
    });
    const instance = await fixture.start({
      instanceId: 'instance-a',
      provider,
      billing: { attemptTimeoutMs: 500 },
      background: true,
    });

    const started = await instance.commandBus.execute(new StartBillingRunCommand('manual', null));
    expect(started.started).toBe(true);
    await waitFor(async () => (await readModels.run(started.runId))?.status === 'COMPLETED', {
      timeoutMs: 30_000,
      message: 'the run to complete',
    });

    const { invoices, byStatus } = await auditInvoices(store, ids);
    expect(byStatus.PENDING + byStatus.PROCESSING).toBe(0);
    expect(byStatus.UNKNOWN).toBe(0); // idempotent provider: every ambiguity is settled
    expect(provider.ledger.doubleCharges()).toEqual([]);
    // The ledger and the log agree: PAID exactly where the provider took money.
    const charged = provider.ledger.successfulChargesByInvoice();
    const paid = [...invoices.values()].filter((invoice) => invoice.status === 'PAID');
    expect(new Set(paid.map((invoice) => invoice.invoiceId))).toEqual(new Set(charged.keys()));
    expect(byStatus.FAILED).toBeGreaterThan(0);
    for (const invoice of invoices.values()) {
      expect(invoice.attempts.every((attempt) => attempt.runId === started.runId)).toBe(true);
    }
  });

  it('paces its claims to the read models: holds them while they lag, goes on when they catch up', async () => {
    const { store, readModels } = fixture;
    const { ids } = await issueInvoices(store, 300);
    const provider = new SimulatedPaymentProvider({ latencyMs: 2, rates: ZERO_RATES });
    const instance = await fixture.start({
      instanceId: 'instance-a',
      provider,
      billing: { concurrency: 2 },
      tuning: { readModelLagMs: 20, pageSize: 8 },
    });
    // The read models stop at the run's first charge, as a projector that falls behind.
    provider.onCharge(() => readModels.pause());
    const started = await instance.commandBus.execute(new StartBillingRunCommand('manual', null));
    const working = instance.engine.workRun(started.runId);
    await waitFor(() => readModels.waiting > 0, {
      timeoutMs: 10_000,
      message: 'billing to wait for the read models',
    });
    // Claims stopped about 20 ms of charging after the read models did, far short of all.
    const { byStatus } = await auditInvoices(store, ids);
    expect(byStatus.PENDING).toBeGreaterThan(200);

    provider.onCharge(undefined);
    readModels.resume();
    expect(await working).toBe('completed');
    expect(provider.ledger.size).toBe(300);
    expect(provider.ledger.doubleCharges()).toEqual([]);
  });

  it('works a run once per process, however many times it is asked to', async () => {
    await issueInvoices(fixture.store, 50);
    const provider = new SimulatedPaymentProvider({ latencyMs: 1, rates: ZERO_RATES });
    const instance = await fixture.start({
      instanceId: 'instance-a',
      provider,
    });
    // The start command joins the run itself (in process); an operator's CLI asks again.
    const started = await instance.commandBus.execute(new StartBillingRunCommand('manual', null));
    const first = instance.engine.workRun(started.runId);
    const second = instance.engine.workRun(started.runId);
    expect(second).toBe(first);
    expect(await first).toBe('completed');
    expect(provider.ledger.size).toBe(50);
  });
});
