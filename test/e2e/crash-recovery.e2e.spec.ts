import {
  findRun,
  invoicesByStatus,
  startRun,
  waitForCompleted,
  waitForPending,
} from '../support/service/billing-api';
import { readInvoiceLog } from '../support/service/invoice-log';
import { LedgerTail } from '../support/service/ledger-tail';
import { moneyProblems } from '../support/service/money-checks';
import type { ServiceProcess } from '../support/service/service-process';
import { waitFor } from '../support/wait-for';
import { readLedgerFile } from '../../src/payments/simulated/read-ledger-file';
import { isCharged } from '../../src/payments/simulated/simulated-outcome';
import { BillingCluster } from './support/billing-cluster';
import { buildOnce } from './support/build-once';

const INVOICES = 2_000;
const INSTANCES = 3;
const ATTEMPT_TIMEOUT_MS = 2_000;
/** The victim's deliveries before it is killed: well into the run, far from its end. */
const KILL_AFTER_DELIVERIES = 100;

/**
 * kill -9 one of three service processes in the middle of a run, then start it again
 * with the same instance id. Whatever it had claimed and not recorded (claims still
 * waiting for a free slot, charges in flight, answers not yet appended) stays open
 * until the recovery sweep (attempt timeout 2 s) settles it; the run then completes.
 *
 * The provider is NOT idempotent, which is the right provider for this test: the dead
 * instance's open attempts must end UNKNOWN and never be charged again, so any
 * re-delivery shows in the shared ledger file as a double charge. An idempotent
 * simulator would be wrong here: its replay memory is per process, so the sweep's
 * re-drive of a key the dead process had charged would charge again, a double charge a
 * real idempotent provider would never make. Lookups are per process too (the restarted
 * instance knows nothing of its predecessor's charges): the sweep finds nothing and
 * marks those attempts UNKNOWN, for a person to settle.
 */
describe('kill -9 of a service process in the middle of a run', () => {
  let cluster: BillingCluster;

  beforeAll(async () => {
    await buildOnce();
    cluster = await BillingCluster.create('e2e_crash', {
      BILLING_CONCURRENCY: '4',
      BILLING_ATTEMPT_TIMEOUT: String(ATTEMPT_TIMEOUT_MS),
      SIMULATED_IDEMPOTENT: 'false',
      // No lookup: what the crash leaves open stays UNKNOWN, for a person, so the statuses
      // read below cannot change under the test (the chaos runner covers lookups).
      SIMULATED_LOOKUP: 'false',
      // Slow enough that the run lasts several seconds and the victim always has
      // charges in flight; each still far below the attempt timeout.
      SIMULATED_LATENCY_MS: '30',
      SIMULATED_LATENCY_JITTER_MS: '20',
    });
    await cluster.seed(INVOICES);
    await cluster.start(INSTANCES);
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  });

  /**
   * Kills `victim` right after one of its charges lands in the ledger, so that a run
   * may catch a charge whose answer was never recorded (the recorder usually wins that
   * race; test/billing/charge-invariants covers it deterministically, in process).
   */
  async function killMidCharge(victim: ServiceProcess): Promise<void> {
    const tail = new LedgerTail(cluster.ledgerFile);
    let deliveries = 0;
    await waitFor(
      () => {
        const mine = tail.next().filter((entry) => entry.pid === victim.pid);
        deliveries += mine.length;
        const justCharged = mine.length > 0 && isCharged(mine[mine.length - 1].outcome);
        return deliveries >= KILL_AFTER_DELIVERIES && justCharged;
      },
      { timeoutMs: 30_000, intervalMs: 1, message: `${victim.instanceId} to charge` },
    );
    await victim.kill('SIGKILL');
  }

  async function crashMidRun(): Promise<void> {
    const [first, victim, third] = cluster.instances;
    const pending = await waitForPending(third, INVOICES);
    expect(pending).toHaveLength(INVOICES);

    const runId = await startRun(first);
    await killMidCharge(victim);
    // The kill must land mid-run, or this test proves nothing about crashes.
    expect(readLedgerFile(cluster.ledgerFile).entries.length).toBeLessThan(INVOICES);
    expect((await findRun(third, runId))?.status).toBe('RUNNING');

    await victim.restart();
    const run = await waitForCompleted(third, runId, 60_000);

    const statuses = await invoicesByStatus(first);
    const ledger = readLedgerFile(cluster.ledgerFile);
    const log = await readInvoiceLog(cluster.database.url);
    const { instances } = cluster;
    expect(moneyProblems({ invoices: pending, statuses, ledger, log, instances })).toEqual([]);
    expect(ledger.doubleCharges).toEqual([]);
    const ended = statuses.PAID.length + statuses.FAILED.length + statuses.UNKNOWN.length;
    expect(ended).toBe(INVOICES);
    // The crash left attempts open and the sweep settled them as UNKNOWN.
    const swept = [...log.sweptUnknown].filter(([, instance]) => instance === victim.instanceId);
    expect(swept.length).toBeGreaterThan(0);
    const unknown = new Set(statuses.UNKNOWN);
    expect(swept.filter(([invoiceId]) => !unknown.has(invoiceId))).toEqual([]);
    const { paid, failed, unknown: unknownCount, processing } = run.counts;
    expect({ paid, failed, unknown: unknownCount, processing }).toEqual({
      paid: statuses.PAID.length,
      failed: statuses.FAILED.length,
      unknown: statuses.UNKNOWN.length,
      processing: 0,
    });

    const audit = await cluster.cli('audit');
    expect(audit).toMatchObject({ code: 0, output: expect.stringContaining('AUDIT OK') });
  }

  it(
    'ends every invoice PAID, FAILED or UNKNOWN, none charged twice; the audit passes',
    () => cluster.explain(crashMidRun),
    120_000,
  );
});
