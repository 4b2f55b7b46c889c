import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import type { AppendRequest, EventStore } from '../../src/event-store/event-store.port';
import type {
  ChargeRequest,
  PaymentProvider,
} from '../../src/payment-provider/payment-provider.port';
import { openPostgresStore, type OpenStore } from '../support/event-store-backends';
import { InMemoryReadModels } from '../support/read-models/in-memory-read-models';
import { waitFor } from '../support/wait-for';
import { startBillingInstance, type BillingInstance } from './support/billing-instance';
import { issueInvoices } from './support/issue-invoices';

/** A promise and the function that resolves it. */
function gate(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * A provider that holds every call until the test releases the round it arrived in, and
 * counts the calls in its hands: the most at once, and the charges per invoice.
 */
class HeldProvider implements PaymentProvider {
  readonly idempotent = false;
  inFlight = 0;
  maxInFlight = 0;
  readonly charges = new Map<string, number>();
  private round = gate();
  private open = false;

  async charge(request: ChargeRequest): Promise<boolean> {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    this.charges.set(request.invoiceId, (this.charges.get(request.invoiceId) ?? 0) + 1);
    try {
      if (!this.open) await this.round.promise;
      return true;
    } finally {
      this.inFlight--;
    }
  }

  /** Answers every call held now; later calls are held again. */
  releaseRound(): void {
    const round = this.round;
    this.round = gate();
    round.resolve();
  }

  /** Answers every call, now and later. */
  openUp(): void {
    this.open = true;
    this.releaseRound();
  }
}

/** The store, with every append of a charge's outcome held until `release`. */
function holdingOutcomes(inner: EventStore): { store: EventStore; release: () => void } {
  const released = gate();
  const isOutcome = (request: AppendRequest): boolean =>
    request.events.some((event) => event.type !== 'ChargeAttempted');
  const store = new Proxy(inner, {
    get(target, property) {
      if (property === 'appendMany') {
        return async (requests: readonly AppendRequest[]) => {
          if (requests.some(isOutcome)) await released.promise;
          return target.appendMany(requests);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, release: () => released.resolve() };
}

describe('BILLING_CONCURRENCY on PostgreSQL', () => {
  let backend: OpenStore;
  let readModels: InMemoryReadModels;
  let instance: BillingInstance | null = null;

  beforeEach(async () => {
    backend = await openPostgresStore('billing_concurrency');
    readModels = new InMemoryReadModels().follow(backend.store);
  });

  afterEach(async () => {
    await instance?.close();
    await readModels.close();
    await backend.close();
  });

  it('keeps 2,000 calls in flight at the provider: all at once, and again while the store takes the answers of the first 2,000', async () => {
    // 2,000 calls at once only if the engine claims and sends past its pages (500); a
    // second round of 2,000 while the first round's outcomes wait for the store only if
    // a full round of answers waiting does not stop the claims (it did at 2,000).
    const concurrency = 2_000;
    const { ids } = await issueInvoices(backend.store, 4_500);
    const provider = new HeldProvider();
    const outcomes = holdingOutcomes(backend.store);
    instance = await startBillingInstance({
      instanceId: 'instance-a',
      store: outcomes.store,
      provider,
      readModels,
      billing: { concurrency },
    });

    const { runId } = await instance.commandBus.execute(new StartBillingRunCommand('manual', null));
    await waitFor(() => provider.inFlight === concurrency, {
      timeoutMs: 20_000,
      message: `the first ${concurrency} calls in flight at once`,
    });
    provider.releaseRound();
    await waitFor(() => provider.charges.size === 2 * concurrency, {
      timeoutMs: 20_000,
      message: `${concurrency} calls in flight again while the store holds the first round's outcomes`,
    });
    expect(provider.inFlight).toBe(concurrency);
    outcomes.release();
    provider.openUp();
    await waitFor(async () => (await readModels.run(runId))?.status === 'COMPLETED', {
      timeoutMs: 30_000,
      message: `run ${runId} to complete`,
    });

    expect(provider.maxInFlight).toBe(concurrency);
    expect(provider.charges.size).toBe(ids.length);
    expect([...provider.charges.values()].every((count) => count === 1)).toBe(true);
  });
});
