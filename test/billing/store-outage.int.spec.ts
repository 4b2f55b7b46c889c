import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import { invoiceStream } from '../../src/billing/domain/stream-names';
import type { EventStore } from '../../src/event-store/event-store.port';
import { ChargeGate } from '../../src/payments/simulated/charge-gate';
import { isUnavailable } from '../../src/shared/is-unavailable';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { openPostgresStore, type OpenStore } from '../support/event-store-backends';
import { waitFor } from '../support/wait-for';
import { startBillingInstance, type BillingInstance } from './support/billing-instance';
import { FlakyEventStore } from './support/flaky-event-store';
import { InMemoryReadModels } from '../support/read-models/in-memory-read-models';
import { auditInvoices } from './support/invoice-audit';
import { issueInvoices } from './support/issue-invoices';
import { SharedEsdb } from '../support/shared-esdb';
import { ZERO_RATES } from './support/zero-rates';

const INVOICES = 150;

// Each case strikes at a known point of the run: the first charges are answered, the next
// ones held at the provider (charged, not yet answered) until every charge slot holds one,
// and then the fault begins. With no slot free the engine claims nothing more (claims are
// made just in time, one per free slot), so it has claimed at most the invoices of the
// charges it started (40 answered + 16 held) = 56 of 150. Claims are left for the fault to
// hit, wherever the scan's random start put the pages, and each case asserts it.
/** Charge slots of the instance under test. */
const CONCURRENCY = 16;
/** Invoices claimed per appendMany. */
const PAGE_SIZE = 32;
/** Charges answered before the fault. */
const ANSWERED_BEFORE_FAULT = 40;
const FAULT_TUNING = { concurrency: CONCURRENCY, pageSize: PAGE_SIZE };

/**
 * A provider that answers the first ANSWERED_BEFORE_FAULT charges and holds the next ones
 * at `gate`, charged but not answered, until it opens: released after the fault began,
 * their outcomes meet it. Not idempotent: a claim or charge repeated after the fault would
 * show in the ledger.
 */
function providerHoldingCharges(): { provider: SimulatedPaymentProvider; gate: ChargeGate } {
  const provider = new SimulatedPaymentProvider({
    idempotent: false,
    lookup: false,
    rates: { ...ZERO_RATES, declined: 0.1 },
  });
  const gate = new ChargeGate('processed');
  let processed = 0;
  provider.onCharge((event) => {
    if (event.phase === 'processed' && ++processed > ANSWERED_BEFORE_FAULT) {
      return gate.hook(event);
    }
  });
  return { provider, gate };
}

/** Every invoice charged once and its outcome recorded, as `store` (the truth) has it. */
async function expectEveryInvoiceChargedOnce(
  store: EventStore,
  ids: readonly string[],
  provider: SimulatedPaymentProvider,
): Promise<void> {
  const { invoices, byStatus } = await auditInvoices(store, ids);
  expect(byStatus).toMatchObject({ PENDING: 0, PROCESSING: 0, UNKNOWN: 0 });
  expect(byStatus.PAID + byStatus.FAILED).toBe(INVOICES);
  for (const invoice of invoices.values()) expect(invoice.attempts).toHaveLength(1);
  expect(provider.ledger.size).toBe(INVOICES);
  expect(provider.ledger.doubleCharges()).toEqual([]);
  expect(byStatus.PAID).toBe(provider.ledger.successfulCharges().length);
}

describe('the PostgreSQL event store goes away in the middle of a run', () => {
  let backend: OpenStore;
  let readModels: InMemoryReadModels;
  let instance: BillingInstance | undefined;

  beforeEach(async () => {
    backend = await openPostgresStore('billing_outage');
    readModels = new InMemoryReadModels().follow(backend.store);
  });

  afterEach(async () => {
    await instance?.close();
    await readModels.close();
    await backend.close();
  });

  it('pauses, resumes, and loses no outcome, even when an append landed but its answer did not', async () => {
    const { ids } = await issueInvoices(backend.store, INVOICES);
    const flaky = new FlakyEventStore(backend.store);
    const { provider, gate } = providerHoldingCharges();
    instance = await startBillingInstance({
      instanceId: 'instance-a',
      store: flaky,
      provider,
      readModels,
      tuning: FAULT_TUNING,
    });

    const { runId } = await instance.commandBus.execute(new StartBillingRunCommand('manual', null));
    await gate.whenHeld(CONCURRENCY);
    flaky.down = true;
    // Once the appends sent before the outage have ended, nothing lands until the store is
    // back: the invoices still PENDING can only be claimed after that, so a claim append is
    // among those whose answer is lost below, whatever the page shapes and timings.
    await waitFor(() => flaky.appendsInFlight === 0, {
      message: 'the appends sent before the outage to end',
    });
    const atOutage = await auditInvoices(backend.store, ids);
    expect(atOutage.byStatus.PENDING).toBeGreaterThan(0);
    gate.open();
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
    await expectEveryInvoiceChargedOnce(backend.store, ids, provider);
  });
});

describe('the EventStoreDB node goes away in the middle of a run', () => {
  let shared: SharedEsdb;
  let readModels: InMemoryReadModels;
  let instance: BillingInstance | undefined;
  /** Pauses the engine took because the store was unavailable. */
  let storeRetries: number;
  /** `storeRetries` when the fault struck; null before. */
  let retriesAtFault: number | null;
  /** Whether the engine has paused `count` more times since the fault. */
  const retriedSinceFault = (count: number) =>
    retriesAtFault !== null && storeRetries >= retriesAtFault + count;
  /** Invoices claimed in the node's log: what it holds, answered or not, up or down. */
  const claimed = (ids: readonly string[]) =>
    ids.filter((id) =>
      shared.double.log
        .stream(invoiceStream(id))
        ?.some((event) => event.type === 'ChargeAttempted'),
    ).length;

  // Deadline 250 ms: an answer held back longer is a deadline exceeded (outcome unknown).
  beforeEach(async () => {
    shared = await SharedEsdb.create({ params: 'defaultDeadline=250' });
    storeRetries = 0;
    retriesAtFault = null;
  });

  afterEach(async () => {
    await instance?.close();
    instance = undefined;
    await readModels.close();
    await shared.close();
  });

  /**
   * Seeds, starts one instance and a run, and strikes with `fault` once every charge slot
   * holds a charge: invoices are then still unclaimed (asserted), so claims are among the
   * appends the fault meets. Then lets the held charges go: their outcomes meet it too.
   */
  async function runWithFault(fault: () => void | Promise<void>) {
    const store = shared.openStore();
    // Seeded without the short deadline: on a loaded machine set-up alone may exceed it.
    const { ids } = await issueInvoices(shared.openStore({ withParams: false }), INVOICES);
    readModels = new InMemoryReadModels().follow(shared.openStore());
    const { provider, gate } = providerHoldingCharges();
    instance = await startBillingInstance({
      instanceId: 'instance-a',
      store,
      provider,
      readModels,
      tuning: {
        ...FAULT_TUNING,
        storeRetryDelayMs: (retry) => {
          storeRetries++;
          return Math.min(50, 5 * retry);
        },
      },
    });
    const { runId } = await startRun(instance);
    await gate.whenHeld(CONCURRENCY);
    retriesAtFault = storeRetries;
    await fault();
    const claimedAtFault = claimed(ids);
    expect(claimedAtFault).toBeLessThan(INVOICES);
    gate.open();
    return { ids, provider, runId, store, claimedAtFault };
  }

  /**
   * Starts the period's run, again if the node did not answer in time (a loaded machine
   * can exceed the short deadline): a scheduled run is started once however often asked.
   */
  async function startRun(on: BillingInstance): Promise<{ runId: string }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await on.commandBus.execute(new StartBillingRunCommand('scheduled', '2026-11'));
      } catch (error) {
        if (attempt >= 20 || !isUnavailable(error)) throw error;
      }
    }
  }

  async function expectTheRunToCompleteChargingOnce({
    ids,
    provider,
    runId,
    store,
  }: Awaited<ReturnType<typeof runWithFault>>) {
    await waitFor(async () => (await readModels.run(runId))?.status === 'COMPLETED', {
      timeoutMs: 60_000,
      message: 'the run to complete',
    });
    await expectEveryInvoiceChargedOnce(store, ids, provider);
    // Each attempt and each outcome stored once, however often its append was retried; a
    // failure carries its retry schedule (docs/design.md §2.11) in the same append.
    const written = shared.double.log.all.filter((event) => event.stream.startsWith('invoice-'));
    const failures = written.filter((event) => event.type === 'ChargeFailed').length;
    const schedules = written.filter((event) => /^Retr/.test(event.type)).length;
    expect(schedules).toBe(failures);
    expect(written).toHaveLength(INVOICES * 3 + failures);
    expect(new Set(written.map((event) => event.id)).size).toBe(written.length);
  }

  it('pauses while the node is down, and finishes when it is back, with every outcome recorded once', async () => {
    // Nothing lands while the node is down: the invoices unclaimed at the fault are claimed
    // after it is back, so a claim is among the writes whose answer is lost below.
    const run = await runWithFault(() => shared.double.stop());
    await waitFor(() => retriedSinceFault(20), { message: 'the engine to keep retrying' });
    expect(shared.double.running).toBe(false);
    // Back, but some writes land without their answer: outcomes, and a claim (retried as
    // is, with the rest of its page, it must be recognised as ours and charged).
    const lost = { outcomes: 0, claims: 0 };
    const isClaim = ({ types }: { types: readonly string[] }) => types[0] === 'ChargeAttempted';
    // The double asks a rule only while it has answers left to lose: each match is one lost.
    shared.double.loseAnswers(2, (write) => {
      const matches = write.stream.startsWith('invoice-') && !isClaim(write);
      if (matches) lost.outcomes++;
      return matches;
    });
    shared.double.loseAnswers(1, (write) => {
      const matches = isClaim(write);
      if (matches) lost.claims++;
      return matches;
    });
    await shared.double.restart();

    await expectTheRunToCompleteChargingOnce(run);
    expect(lost).toEqual({ outcomes: 2, claims: 1 });
    expect(shared.double.unansweredWrites).toBeGreaterThanOrEqual(3);
    expect(readModels.resubscriptions).toBeGreaterThan(0);
  });

  it('retries appends answered after the deadline (stored, outcome unknown) without storing them twice', async () => {
    const run = await runWithFault(() => shared.double.setResponseDelay(1_000));
    // Answers stay late until the engine has timed out and retried, and a claim has landed
    // meanwhile (answered late too): outcomes and a claim are among the appends retried.
    await waitFor(() => retriedSinceFault(10) && claimed(run.ids) > run.claimedAtFault, {
      message: 'appends, a claim among them, to time out and be retried',
    });
    shared.double.setResponseDelay(0);

    await expectTheRunToCompleteChargingOnce(run);
    // Some of those appends were stored while their caller had given up on them.
    expect(shared.double.unansweredWrites).toBeGreaterThan(0);
  });
});
