import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import type { EventStore } from '../../src/event-store/event-store.port';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { waitFor } from '../support/wait-for';
import { startBillingInstance, type BillingInstance } from './support/billing-instance';
import { InMemoryReadModels } from '../support/read-models/in-memory-read-models';
import { auditInvoices } from './support/invoice-audit';
import { issueInvoices } from './support/issue-invoices';
import { backendsWith, type SharedStores } from '../support/backends';

const INVOICES = 2_400;
const INSTANCES = 4;
// Generous: on EventStoreDB every call is a gRPC round trip to the double, which shares
// this process's CPU, so a run takes minutes on a busy machine (docs/benchmarks.md).
const RUN_TIMEOUT_MS = 300_000;

describe.each(backendsWith('openShared'))(
  'several instances on one $name event store',
  ({ openShared }) => {
    let shared: SharedStores;
    let readModels: InMemoryReadModels;
    const instances: BillingInstance[] = [];

    beforeAll(async () => {
      shared = await openShared('billing_multi');
    });

    afterAll(async () => {
      await Promise.all(instances.map((instance) => instance.close()));
      await readModels?.close();
      await shared.close();
    });

    it(
      `bill ${INVOICES} invoices together, each charged exactly once`,
      async () => {
        const seedStore = shared.openStore();
        const { ids } = await issueInvoices(seedStore, INVOICES);
        readModels = new InMemoryReadModels().follow(seedStore);
        // NOT idempotent, so a second claim of an attempt would be a second charge in the
        // ledger: nothing but the claim stands between an invoice and a double charge.
        const provider = new SimulatedPaymentProvider({
          idempotent: false,
          lookup: false,
          // A little latency, as a real provider has: the instances then overtake each other.
          latencyMs: 2,
          latencyJitterMs: 4,
          rates: {
            declined: 0.05,
            network_error: 0.02,
            ambiguous_charged: 0,
            ambiguous_not_charged: 0,
            customer_not_found: 0,
            currency_mismatch: 0,
          },
        });
        const stores: EventStore[] = [];
        for (let i = 0; i < INSTANCES; i++) {
          stores.push(shared.openStore());
          instances.push(
            await startBillingInstance({
              instanceId: `instance-${i}`,
              store: stores[i],
              provider,
              readModels,
              billing: { concurrency: 8 },
              // Small pages: many claim batches, so the instances collide often.
              tuning: { pageSize: 32 },
            }),
          );
        }

        const started = await instances[0].commandBus.execute(
          new StartBillingRunCommand('manual', null),
        );
        // Every instance joins the same run at once, as their watchers would.
        await Promise.all(instances.map((instance) => instance.watcher.join(started.runId)));
        await waitFor(async () => (await readModels.run(started.runId))?.status === 'COMPLETED', {
          timeoutMs: RUN_TIMEOUT_MS,
          message: 'the run to complete',
        });

        expect(provider.ledger.doubleCharges()).toEqual([]);
        // One delivery per invoice but for transient retries, which never charge.
        const deliveries = provider.ledger
          .entries()
          .filter((entry) => entry.outcome !== 'network_error');
        expect(deliveries).toHaveLength(INVOICES);
        expect(new Set(deliveries.map((entry) => entry.invoiceId)).size).toBe(INVOICES);

        const { invoices, byStatus } = await auditInvoices(seedStore, ids);
        expect(byStatus.PENDING + byStatus.PROCESSING + byStatus.UNKNOWN).toBe(0);
        expect(byStatus.PAID + byStatus.FAILED).toBe(INVOICES);
        expect(byStatus.PAID).toBe(provider.ledger.successfulCharges().length);
        // Every invoice was attempted once, and the work was really shared.
        const claimsByInstance = new Map<string, number>();
        for (const invoice of invoices.values()) {
          expect(invoice.attempts).toHaveLength(1);
          const by = invoice.attempts[0].instanceId;
          claimsByInstance.set(by, (claimsByInstance.get(by) ?? 0) + 1);
        }
        expect(claimsByInstance.size).toBe(INSTANCES);
      },
      RUN_TIMEOUT_MS + 120_000,
    );
  },
);
