import { readLedgerFile } from '../../src/payments/simulated/read-ledger-file';
import { startRun, waitForCompleted, waitForPending } from '../support/service/billing-api';
import { readInvoiceLog, type InvoiceLog } from '../support/service/invoice-log';
import { waitFor } from '../support/wait-for';
import { BillingCluster } from './support/billing-cluster';
import { buildOnce } from './support/build-once';

const INVOICES = 100;

/**
 * Issue 16 item 9: two service processes on one PostgreSQL database run the retry scan
 * at the same moments (BILLING_RETRY_CRON every second, retries 1 s apart), with a
 * provider that is NOT idempotent and declines half the charges. Every due retry is
 * charged exactly once: the shared ledger file holds each key once, each invoice's
 * deliveries equal its attempts, and nothing is paid twice.
 *
 * Which instance starts a retry run (the first of the two crons to append its
 * BillingStarted) and which claims each retry (the loser joins through its run watcher's
 * 2 s poll; a short run may be over by then) is up to timing: the split is printed, not
 * asserted. That every retry was claimed once, by one of the two, inside a retry run, is
 * asserted.
 */
describe('the retry scan in two service processes on one PostgreSQL database', () => {
  let cluster: BillingCluster;

  beforeAll(async () => {
    await buildOnce();
    cluster = await BillingCluster.create('e2e_retry_two', {
      SIMULATED_IDEMPOTENT: 'false',
      SIMULATED_DECLINED_RATE: '0.5',
      SIMULATED_CUSTOMER_NOT_FOUND_RATE: '0',
      SIMULATED_CURRENCY_MISMATCH_RATE: '0',
      SIMULATED_NETWORK_ERROR_RATE: '0',
      SIMULATED_AMBIGUOUS_CHARGED_RATE: '0',
      SIMULATED_AMBIGUOUS_NOT_CHARGED_RATE: '0',
      BILLING_RETRY_POLICY: JSON.stringify({
        name: 'fast',
        retries: { INSUFFICIENT_FUNDS: ['1s', '1s', '1s'] },
      }),
      BILLING_RETRY_CRON: '* * * * * *',
    });
    await cluster.seed(INVOICES);
    await cluster.start(2);
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it('charges each due retry once', async () => {
    await cluster.explain(async () => {
      const [first, second] = cluster.instances as [
        (typeof cluster.instances)[number],
        (typeof cluster.instances)[number],
      ];
      const headers = { Authorization: `Bearer ${first.apiKey}` };
      expect(await waitForPending(second, INVOICES)).toHaveLength(INVOICES);
      const runId = await startRun(first);
      await waitForCompleted(second, runId, 60_000);

      const total = async (list: string) => {
        const response = await fetch(`${second.url}/rest/v1/invoices/${list}?size=1`, {
          headers,
        });
        return ((await response.json()) as { total: number }).total;
      };
      // PAID and exhausted are both final (nobody requeues here): once every invoice is one
      // or the other, no retry is left to claim and none is in flight.
      await waitFor(
        async () => (await total('status/PAID')) + (await total('retries/exhausted')) === INVOICES,
        { timeoutMs: 60_000, message: 'every invoice to be PAID or out of retries' },
      );
      expect(await total('retries/awaiting')).toBe(0);

      const { entries: ledger, doubleCharges } = readLedgerFile(cluster.ledgerFile);
      expect(doubleCharges).toEqual([]);
      const keys = ledger.map((entry) => entry.idempotencyKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect(ledger.length).toBeGreaterThan(INVOICES); // retries happened

      const deliveries = new Map<string, number>();
      for (const entry of ledger) {
        deliveries.set(entry.invoiceId, (deliveries.get(entry.invoiceId) ?? 0) + 1);
      }
      for (const [invoiceId, count] of deliveries) {
        const response = await fetch(`${first.url}/rest/v1/invoices/${invoiceId}`, { headers });
        const view = (await response.json()) as { attempts: number; status: string };
        expect({ invoiceId, attempts: view.attempts }).toEqual({ invoiceId, attempts: count });
        expect(count).toBeLessThanOrEqual(4);
      }

      const log = await readInvoiceLog(cluster.database.url);
      const retryRuns = new Set(
        log.runs.filter((run) => run.trigger === 'retry').map((run) => run.runId),
      );
      const retryClaims = [...log.claims.values()].filter((claim) => claim.retry > 0);
      expect(retryClaims).toHaveLength(ledger.length - INVOICES);
      const instanceIds = cluster.instances.map((instance) => instance.instanceId);
      // Every retry was claimed inside a retry run, by one of the two instances.
      const astray = retryClaims.filter(
        (claim) => !retryRuns.has(claim.runId) || !instanceIds.includes(claim.instanceId),
      );
      expect(astray).toEqual([]);
      const retriesOf = new Set(retryClaims.map((claim) => `${claim.invoiceId}/${claim.retry}`));
      expect(retriesOf.size).toBe(retryClaims.length); // each retry claimed once
      console.log(`retry scan, two processes: ${JSON.stringify(retrySplit(log, instanceIds))}`);
    });
  }, 180_000);
});

/** Per instance: retry runs it started, retry runs it claimed in, retries it claimed. */
function retrySplit(log: InvoiceLog, instanceIds: readonly string[]) {
  const retryRuns = log.runs.filter((run) => run.trigger === 'retry');
  const retryClaims = [...log.claims.values()].filter((claim) => claim.retry > 0);
  const split = instanceIds.map((instanceId) => {
    const mine = retryClaims.filter((claim) => claim.instanceId === instanceId);
    return {
      instanceId,
      runsStarted: retryRuns.filter((run) => run.instanceId === instanceId).length,
      runsClaimedIn: new Set(mine.map((claim) => claim.runId)).size,
      retriesClaimed: mine.length,
    };
  });
  return { retryRuns: retryRuns.length, retries: retryClaims.length, split };
}
