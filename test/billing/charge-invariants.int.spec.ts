import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import { invoiceStream } from '../../src/billing/domain';
import { ChargeGate } from '../../src/payments/simulated/charge-gate';
import {
  SimulatedPaymentProvider,
  type SimulatedProviderSettings,
} from '../../src/payments/simulated/simulated-payment-provider';
import { openPostgresStore, type OpenStore } from '../support/event-store-backends';
import { waitFor } from '../support/wait-for';
import {
  startBillingInstance,
  type BillingInstance,
  type BillingInstanceOptions,
} from './support/billing-instance';
import { InMemoryReadModels } from '../support/read-models/in-memory-read-models';
import { auditInvoices } from './support/invoice-audit';
import { ManualClock } from './support/manual-clock';
import { issueInvoices } from './support/issue-invoices';
import { ZERO_RATES } from './support/zero-rates';

const TIMEOUT_MS = 1_000;

describe('charge invariants on PostgreSQL', () => {
  let backend: OpenStore;
  let readModels: InMemoryReadModels;
  let clock: ManualClock;
  let instances: BillingInstance[];

  beforeEach(async () => {
    backend = await openPostgresStore('billing_invariants');
    readModels = new InMemoryReadModels().follow(backend.store);
    clock = new ManualClock();
    instances = [];
  });

  afterEach(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await readModels.close();
    await backend.close();
  });

  function provider(settings: SimulatedProviderSettings): SimulatedPaymentProvider {
    return new SimulatedPaymentProvider({ rates: ZERO_RATES, ...settings });
  }

  async function start(
    instanceId: string,
    payments: SimulatedPaymentProvider,
    options: Partial<BillingInstanceOptions> = {},
  ): Promise<BillingInstance> {
    const instance = await startBillingInstance({
      instanceId,
      store: backend.store,
      provider: payments,
      readModels,
      clock,
      billing: { attemptTimeoutMs: TIMEOUT_MS },
      ...options,
    });
    instances.push(instance);
    return instance;
  }

  async function eventTypes(invoiceId: string): Promise<string[]> {
    return (await backend.store.readStream(invoiceStream(invoiceId))).map((event) => event.type);
  }

  async function startRun(instance: BillingInstance): Promise<string> {
    const { runId } = await instance.commandBus.execute(new StartBillingRunCommand('manual', null));
    return runId;
  }

  async function runCompleted(runId: string): Promise<void> {
    await waitFor(async () => (await readModels.run(runId))?.status === 'COMPLETED', {
      timeoutMs: 20_000,
      message: `run ${runId} to complete`,
    });
  }

  it('records the late truth after the sweep marked the attempt UNKNOWN (invariant 3)', async () => {
    const {
      ids: [invoiceId],
    } = await issueInvoices(backend.store, 1);
    const payments = provider({ idempotent: false, lookup: false });
    const gate = new ChargeGate('processed');
    payments.onCharge(gate.hook);
    const a = await start('instance-a', payments);

    await startRun(a);
    await gate.whenHeld(1); // charged at the provider; the answer is still on its way
    await waitFor(() => readModels.status(invoiceId) === 'PROCESSING');
    clock.advance(2 * TIMEOUT_MS);
    expect((await a.sweep.sweepOnce()).get(invoiceId)).toBe('marked-unknown');

    gate.open();
    await waitFor(async () => (await eventTypes(invoiceId)).includes('InvoicePaid'), {
      message: 'the late InvoicePaid',
    });
    expect(await eventTypes(invoiceId)).toEqual([
      'InvoiceIssued',
      'ChargeAttempted',
      'ChargeOutcomeUnknown',
      'InvoicePaid',
    ]);
    const { invoices } = await auditInvoices(backend.store, [invoiceId]);
    expect(invoices.get(invoiceId)?.status).toBe('PAID');
    expect(payments.ledger.size).toBe(1);
  });

  it('claims just in time: while the only charge slot is taken, the other invoice is not claimed (invariant 7)', async () => {
    // One charge slot: one invoice is charged (held at the provider). The other is not
    // claimed ahead of a slot, so nothing is left open for the sweep to turn UNKNOWN.
    const { ids } = await issueInvoices(backend.store, 2);
    const payments = provider({ idempotent: false, lookup: false });
    const gate = new ChargeGate('processed');
    payments.onCharge(gate.hook);
    const a = await start('instance-a', payments, {
      billing: { attemptTimeoutMs: TIMEOUT_MS, concurrency: 1 },
    });

    const runId = await startRun(a);
    await gate.whenHeld(1);
    const charging = payments.ledger.entries()[0].invoiceId;
    const waiting = ids.find((id) => id !== charging) ?? '';
    await waitFor(() => readModels.status(charging) === 'PROCESSING');
    expect(await eventTypes(waiting)).toEqual(['InvoiceIssued']);
    clock.advance(2 * TIMEOUT_MS);
    expect((await a.sweep.sweepOnce()).get(waiting)).toBeUndefined();
    gate.open();
    await runCompleted(runId);

    expect(payments.ledger.entries().map((entry) => entry.invoiceId)).toEqual([charging, waiting]);
    expect(await eventTypes(waiting)).toEqual(['InvoiceIssued', 'ChargeAttempted', 'InvoicePaid']);
  });

  it('non-idempotent provider, ambiguous answer: UNKNOWN, and never charged again', async () => {
    const { ids } = await issueInvoices(backend.store, 3);
    const payments = provider({ idempotent: false, lookup: false });
    payments.script(ids[0], 'ambiguous_charged');
    const a = await start('instance-a', payments);

    await runCompleted(await startRun(a));
    clock.advance(10 * TIMEOUT_MS);
    await a.sweep.sweepOnce();
    await runCompleted(await startRun(a)); // a later run does not touch it either

    const { invoices } = await auditInvoices(backend.store, ids);
    expect(invoices.get(ids[0])?.status).toBe('UNKNOWN');
    expect(invoices.get(ids[0])?.attempts).toHaveLength(1);
    expect(payments.ledger.entries().filter((entry) => entry.invoiceId === ids[0])).toHaveLength(1);
    expect(invoices.get(ids[1])?.status).toBe('PAID');
    expect(payments.ledger.doubleCharges()).toEqual([]);
  });

  it('provider with lookup: the sweep settles an UNKNOWN from its records, never charging again', async () => {
    const { ids } = await issueInvoices(backend.store, 3);
    const payments = provider({ idempotent: false, lookup: true });
    payments.script(ids[0], 'ambiguous_charged'); // charged, answer lost
    payments.script(ids[1], 'ambiguous_not_charged'); // not charged, answer lost
    const a = await start('instance-a', payments);

    await runCompleted(await startRun(a));
    await waitFor(
      () => readModels.status(ids[0]) === 'UNKNOWN' && readModels.status(ids[1]) === 'UNKNOWN',
    );
    const actions = await a.sweep.sweepOnce();
    expect(actions.get(ids[0])).toBe('settled-by-lookup');
    expect(actions.get(ids[1])).toBe('skipped'); // not_found could still be in flight

    expect(await eventTypes(ids[0])).toEqual([
      'InvoiceIssued',
      'ChargeAttempted',
      'ChargeOutcomeUnknown',
      'InvoicePaid',
    ]);
    const { invoices } = await auditInvoices(backend.store, ids);
    expect(invoices.get(ids[0])?.status).toBe('PAID');
    expect(invoices.get(ids[1])?.status).toBe('UNKNOWN');
    await waitFor(() => readModels.status(ids[0]) === 'PAID');
    expect((await a.sweep.sweepOnce()).get(ids[0])).toBeUndefined(); // settled: not asked again
    expect(payments.ledger.size).toBe(3); // one delivery each: nothing was retried
  });

  it('idempotent provider, ambiguous answer: retried with the same key, charged once', async () => {
    const { ids } = await issueInvoices(backend.store, 2);
    const payments = provider({ idempotent: true, lookup: false });
    payments.script(ids[0], 'ambiguous_charged'); // charged, answer lost; a replay says paid
    payments.script(ids[1], 'ambiguous_not_charged', 'paid'); // not charged, then paid
    const a = await start('instance-a', payments);

    await runCompleted(await startRun(a));

    const { invoices } = await auditInvoices(backend.store, ids);
    for (const id of ids) {
      expect(invoices.get(id)?.status).toBe('PAID');
      expect(invoices.get(id)?.attempts).toHaveLength(1);
    }
    expect(payments.ledger.doubleCharges()).toEqual([]);
    expect(payments.replays).toBeGreaterThanOrEqual(1);
    const keys = new Set(payments.ledger.entries().map((entry) => entry.idempotencyKey));
    expect(keys).toEqual(new Set(ids.map((id) => `invoice-${id}-attempt-1`)));
  });

  describe('a crash between claim and outcome', () => {
    async function crashWhileCharging(settings: SimulatedProviderSettings) {
      const {
        ids: [invoiceId],
      } = await issueInvoices(backend.store, 1);
      const payments = provider(settings);
      const gate = new ChargeGate('processed');
      payments.onCharge(gate.hook);
      const a = await start('instance-a', payments);
      await startRun(a);
      await gate.whenHeld(1);
      // The instance dies: nothing it still holds reaches the store.
      await a.watcher.stop(0);
      gate.open();
      const b = await start('instance-b', payments);
      await waitFor(() => readModels.status(invoiceId) === 'PROCESSING');
      expect((await b.sweep.sweepOnce()).size).toBe(0); // not stale yet
      clock.advance(2 * TIMEOUT_MS);
      return { invoiceId, payments, b };
    }

    it('idempotent provider: the sweep re-drives it with its own key; charged once', async () => {
      const { invoiceId, payments, b } = await crashWhileCharging({
        idempotent: true,
        lookup: false,
      });
      expect((await b.sweep.sweepOnce()).get(invoiceId)).toBe('redriven');
      expect(await eventTypes(invoiceId)).toEqual([
        'InvoiceIssued',
        'ChargeAttempted',
        'ChargeRedriven',
        'InvoicePaid',
      ]);
      expect(payments.ledger.successfulCharges()).toHaveLength(1);
      expect(payments.replays).toBe(1);
    });

    it('provider with lookup: the sweep settles it from the provider, no second call', async () => {
      const { invoiceId, payments, b } = await crashWhileCharging({
        idempotent: false,
        lookup: true,
      });
      expect((await b.sweep.sweepOnce()).get(invoiceId)).toBe('settled-by-lookup');
      expect(await eventTypes(invoiceId)).toEqual([
        'InvoiceIssued',
        'ChargeAttempted',
        'InvoicePaid',
      ]);
      expect(payments.ledger.size).toBe(1);
    });

    it('non-idempotent provider: UNKNOWN, never retried', async () => {
      const { invoiceId, payments, b } = await crashWhileCharging({
        idempotent: false,
        lookup: false,
      });
      expect((await b.sweep.sweepOnce()).get(invoiceId)).toBe('marked-unknown');
      await waitFor(() => readModels.status(invoiceId) === 'UNKNOWN');
      clock.advance(10 * TIMEOUT_MS);
      expect((await b.sweep.sweepOnce()).size).toBe(0);
      expect(await eventTypes(invoiceId)).toEqual([
        'InvoiceIssued',
        'ChargeAttempted',
        'ChargeOutcomeUnknown',
      ]);
      expect(payments.ledger.size).toBe(1);
    });
  });
});
