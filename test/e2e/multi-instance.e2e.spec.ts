import {
  invoicesByStatus,
  startRun,
  waitForCompleted,
  waitForPending,
} from '../support/service/billing-api';
import { claimsByInstance, readInvoiceLog, type InvoiceLog } from '../support/service/invoice-log';
import { moneyProblems } from '../support/service/money-checks';
import { readLedgerFile } from '../../src/payments/simulated/read-ledger-file';
import { BillingCluster } from './support/billing-cluster';
import { buildOnce } from './support/build-once';

const INVOICES = 2_000;
const INSTANCES = 3;

/**
 * Three instances, each its own `node dist/src/main.js` process, on one PostgreSQL
 * database, bill 2,000 invoices in one run started over REST. The simulated provider
 * in each process appends every delivery to one shared ledger file, which is what the
 * test counts.
 *
 * The provider is NOT idempotent: a second delivery of any claim would be a second
 * charge in the ledger, so nothing but the claim (the expected-revision append) stands
 * between an invoice and a double charge. That is the stricter test, and the honest
 * one: an idempotent simulator's replay memory is per process, so it could not absorb
 * a cross-process second delivery anyway. The attempt timeout keeps its default
 * (60 s), so the recovery sweep stays out of a run that lasts seconds: every attempt
 * must end by its own instance's hand.
 */
describe(`${INSTANCES} service processes on one PostgreSQL database`, () => {
  let cluster: BillingCluster;

  beforeAll(async () => {
    await buildOnce();
    cluster = await BillingCluster.create('e2e_multi', {
      BILLING_CONCURRENCY: '8',
      SIMULATED_IDEMPOTENT: 'false',
      // A little latency, as a real provider has: the run lasts long enough for every
      // instance's watcher (2 s poll) to join it, and the instances overtake each other.
      SIMULATED_LATENCY_MS: '10',
      SIMULATED_LATENCY_JITTER_MS: '10',
    });
    await cluster.seed(INVOICES);
    await cluster.start(INSTANCES);
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  });

  async function billTogether(): Promise<void> {
    const [first, second, third] = cluster.instances;
    const pending = await waitForPending(third, INVOICES);
    expect(pending).toHaveLength(INVOICES);

    const runId = await startRun(first);
    const run = await waitForCompleted(second, runId, 60_000);

    const statuses = await invoicesByStatus(third);
    const ledger = readLedgerFile(cluster.ledgerFile);
    const log = await readInvoiceLog(cluster.database.url);
    const { instances } = cluster;
    expect(moneyProblems({ invoices: pending, statuses, ledger, log, instances })).toEqual([]);
    expect(ledger.doubleCharges).toEqual([]);
    expect(new Set(ledger.entries.map((entry) => entry.invoiceId)).size).toBe(INVOICES);
    // One claim per invoice that went to the provider. An ambiguous failure on this
    // provider holds or opens the breaker (design.md §2.6), and a claim it stopped before
    // its first send is withdrawn, nothing sent, and the invoice claimed again later.
    expect(sentClaimsPerInvoice(log)).toEqual(new Map(pending.map((id) => [id, 1])));
    const otherWithdrawals = [...log.withdrawn].filter(([, why]) => why !== 'PROVIDER_UNAVAILABLE');
    expect(otherWithdrawals).toEqual([]);
    // Every attempt ended by its own instance's hand: nothing was left for the sweep.
    expect(log.sweptUnknown.size).toBe(0);
    const { paid, failed, unknown, processing } = run.counts;
    expect({ paid, failed, unknown, processing }).toEqual({
      paid: statuses.PAID.length,
      failed: statuses.FAILED.length,
      unknown: statuses.UNKNOWN.length,
      processing: 0,
    });
    expect(paid + failed + unknown).toBe(INVOICES);
    // The instances shared the run (each joins within its watcher's poll, 2 s): the
    // claim, not taking turns, kept them apart.
    const byInstance = claimsByInstance(log);
    expect(Object.keys(byInstance).length).toBeGreaterThan(1);

    const audit = await cluster.cli('audit');
    expect(audit).toMatchObject({ code: 0, output: expect.stringContaining('AUDIT OK') });
  }

  it(
    `bill ${INVOICES} invoices, each charged exactly once; the audit passes`,
    () => cluster.explain(billTogether),
    120_000,
  );
});

/** How many claims of each invoice were not withdrawn (so may have been sent). */
function sentClaimsPerInvoice(log: InvoiceLog): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { invoiceId, idempotencyKey } of log.claims.values()) {
    if (!log.withdrawn.has(idempotencyKey)) counts.set(invoiceId, (counts.get(invoiceId) ?? 0) + 1);
  }
  return counts;
}
