import { readLedgerFile } from '../../src/payments/simulated/read-ledger-file';
import {
  findRun,
  invoiceIds,
  startRun,
  waitForCompleted,
  waitForPending,
  type ServiceEndpoint,
} from '../support/service/billing-api';
import { readInvoiceLog } from '../support/service/invoice-log';
import { waitFor } from '../support/wait-for';
import { BillingCluster } from './support/billing-cluster';
import { buildOnce } from './support/build-once';

const INVOICES = 5;
/** Long enough to stop the instance well before it; short enough for a test. */
const RETRY_DELAY = '20s';
const OTHER_OUTCOMES_OFF = {
  SIMULATED_CUSTOMER_NOT_FOUND_RATE: '0',
  SIMULATED_CURRENCY_MISMATCH_RATE: '0',
  SIMULATED_NETWORK_ERROR_RATE: '0',
  SIMULATED_AMBIGUOUS_CHARGED_RATE: '0',
  SIMULATED_AMBIGUOUS_NOT_CHARGED_RATE: '0',
};

interface RetryList {
  readonly total: number;
  readonly items: readonly { invoiceId: string; nextRetryAt: string | null }[];
}

async function awaitingRetry(instance: ServiceEndpoint): Promise<RetryList> {
  const response = await fetch(`${instance.url}/rest/v1/invoices/retries/awaiting?size=100`, {
    headers: { Authorization: `Bearer ${instance.apiKey}` },
  });
  if (!response.ok) throw new Error(`awaiting list: ${response.status} ${await response.text()}`);
  return (await response.json()) as RetryList;
}

/**
 * Issue 16 item 9: a restart after a missed scan catches up. One instance declines every
 * invoice, each with a retry 20 s later, and is stopped before any falls due. The retry
 * cron fires once a year, so while nothing runs no scan happens, and the new process's
 * cron would not fire for months either: only the retry scan's catch-up at start
 * (RetryScheduler.start) can charge the retries. The new process charges each retry at
 * once, with its new key, exactly once in the provider's ledger.
 */
describe('a restart after the retry scan missed its retries', () => {
  let cluster: BillingCluster;

  beforeAll(async () => {
    await buildOnce();
    cluster = await BillingCluster.create('e2e_retry_restart', {
      SIMULATED_IDEMPOTENT: 'false',
      SIMULATED_DECLINED_RATE: '1',
      ...OTHER_OUTCOMES_OFF,
      BILLING_RETRY_POLICY: JSON.stringify({
        name: 'restart-test',
        retries: { INSUFFICIENT_FUNDS: [RETRY_DELAY] },
      }),
      // Midnight on 1 January: no scan fires during this test, in either process.
      BILLING_RETRY_CRON: '0 0 1 1 *',
    });
    await cluster.seed(INVOICES);
    await cluster.start(1, 'before');
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  });

  async function declineThenStop(): Promise<number> {
    const [before] = cluster.instances;
    expect(await waitForPending(before, INVOICES)).toHaveLength(INVOICES);
    const runId = await startRun(before);
    expect((await waitForCompleted(before, runId, 60_000)).counts).toMatchObject({
      paid: 0,
      failed: INVOICES,
    });
    let awaiting: RetryList = { total: 0, items: [] };
    await waitFor(async () => (awaiting = await awaitingRetry(before)).total === INVOICES, {
      timeoutMs: 20_000,
      message: `the read model to show ${INVOICES} invoices awaiting a retry`,
    });
    const dueAt = Math.max(...awaiting.items.map((item) => Date.parse(item.nextRetryAt ?? '')));

    await before.kill('SIGTERM');
    // Stopped before the retries fell due: they fall due while nothing runs.
    expect(Date.now()).toBeLessThan(dueAt);
    const ledger = readLedgerFile(cluster.ledgerFile).entries;
    expect(ledger.map((entry) => entry.outcome)).toEqual(Array(INVOICES).fill('declined'));
    return dueAt;
  }

  async function restartAfterDue(dueAt: number): Promise<void> {
    await waitFor(() => Date.now() > dueAt, {
      timeoutMs: 60_000,
      message: 'the retries to fall due while no instance runs',
    });
    // The money is there now: the retry is paid, so the invoices' statuses show it.
    const [after] = await cluster.start(1, 'after', { SIMULATED_DECLINED_RATE: '0' });
    let paid: string[] = [];
    await waitFor(async () => (paid = await invoiceIds(after, 'PAID')).length === INVOICES, {
      timeoutMs: 60_000,
      message: 'the new process to charge the retries at start',
    });

    const { entries, doubleCharges } = readLedgerFile(cluster.ledgerFile);
    expect(doubleCharges).toEqual([]);
    const log = await readInvoiceLog(cluster.database.url);
    const retryClaims = [...log.claims.values()].filter((claim) => claim.retry === 1);
    expect(retryClaims.map((claim) => claim.invoiceId).sort()).toEqual([...paid].sort());
    for (const { invoiceId, idempotencyKey } of retryClaims) {
      const delivered = entries.filter((entry) => entry.invoiceId === invoiceId);
      // The first attempt's decline, then the retry's charge under its new key, once.
      expect(
        delivered.map(({ idempotencyKey: key, outcome, pid }) => ({ key, outcome, pid })),
      ).toEqual([
        { key: `invoice-${invoiceId}-attempt-1`, outcome: 'declined', pid: expect.any(Number) },
        { key: idempotencyKey, outcome: 'paid', pid: after.pid },
      ]);
      expect(idempotencyKey).toBe(`invoice-${invoiceId}-attempt-2`);
    }
    expect(entries).toHaveLength(2 * INVOICES);

    // One retry run, started and worked by the new process as it started.
    const retryRuns = log.runs.filter((run) => run.trigger === 'retry');
    expect(retryRuns.map(({ instanceId }) => instanceId)).toEqual([after.instanceId]);
    const [retryRun] = retryRuns;
    expect(new Set(retryClaims.map((claim) => claim.runId))).toEqual(new Set([retryRun.runId]));
    expect(new Set(retryClaims.map((claim) => claim.instanceId))).toEqual(
      new Set([after.instanceId]),
    );
    let run = await findRun(after, retryRun.runId);
    await waitFor(
      async () => (run = await findRun(after, retryRun.runId))?.counts.paid === INVOICES,
      { timeoutMs: 20_000, message: `run ${retryRun.runId} to count its retries` },
    );
    expect(run?.counts).toEqual({ processing: 0, paid: INVOICES, failed: 0, unknown: 0 });
    expect((await awaitingRetry(after)).total).toBe(0);
  }

  it('charges the retries that fell due while it was down, at start, each once', async () => {
    await cluster.explain(async () => restartAfterDue(await declineThenStop()));
  }, 180_000);
});
