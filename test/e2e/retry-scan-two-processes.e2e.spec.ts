import { readLedgerFile } from '../../src/payments/simulated/read-ledger-file';
import { startRun, waitForCompleted, waitForPending } from '../support/service/billing-api';
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

      const awaiting = async () => {
        const response = await fetch(`${second.url}/rest/v1/invoices/retries/awaiting`, {
          headers,
        });
        return ((await response.json()) as { total: number }).total;
      };
      await waitFor(async () => (await awaiting()) === 0, {
        timeoutMs: 60_000,
        message: 'every retry to be charged',
      });

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
    });
  }, 180_000);
});
