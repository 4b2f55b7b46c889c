import { startRun, waitForCompleted, waitForPending } from '../support/service/billing-api';
import { BillingCluster } from './support/billing-cluster';
import { buildOnce } from './support/build-once';
import { waitFor } from '../support/wait-for';

const INVOICES = 40;
const READ_KEY = 'json-logs-read-key-0123456789';
const OPERATE_KEY = 'json-logs-operate-key-0123456';

/** Where the service logs billing work: each of their lines carries its ids. */
const BILLING_CONTEXTS = [
  'BillingEngine',
  'OutcomeRecorder',
  'PageClaimer',
  'RecoverySweep',
  'RunWatcher',
  'BillingScheduler',
  'RetryScheduler',
  'BillingLifecycle',
  'ProviderGate',
];
const ATTEMPT_KEY = /invoice-(.+?)-attempt-(\d+)/;

/**
 * A service process with LOG_FORMAT=json and LOG_LEVEL=debug bills a run started over
 * REST, while clients present good keys, wrong keys and keys without the scope. Every
 * line it writes is JSON with a time, a level and its instance, every line about billing
 * work carries its run, invoice and attempt, and no key or bearer credential appears in
 * any line.
 */
describe('JSON logs of a billing run', () => {
  let cluster: BillingCluster;

  beforeAll(async () => {
    await buildOnce();
    cluster = await BillingCluster.create('e2e_json_logs', {
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      ANTAEUS_API_KEYS: JSON.stringify([
        { name: 'finance-ro', scopes: ['read'], key: READ_KEY },
        { name: 'ops', scopes: ['operate'], key: OPERATE_KEY },
      ]),
      BILLING_CONCURRENCY: '4',
      SIMULATED_DECLINED_RATE: '0.2',
      SIMULATED_NETWORK_ERROR_RATE: '0.1',
      // Charged, answer lost, never retried: UNKNOWN until the sweep's lookup (every
      // quarter of the attempt timeout) finds the charge and logs it for its attempt.
      SIMULATED_IDEMPOTENT: 'false',
      SIMULATED_AMBIGUOUS_CHARGED_RATE: '0.15',
      BILLING_ATTEMPT_TIMEOUT: '2000',
    });
    await cluster.seed(INVOICES);
    await cluster.start(1);
  }, 180_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it('writes only JSON lines, billing ones with their ids, none holding a key or a bearer credential', async () => {
    const [instance] = cluster.instances;
    let runId = '';
    await cluster.explain(async () => {
      await waitForPending(instance, INVOICES, 60_000);
      const refused = [
        fetch(`${instance.url}/rest/v1/invoices`, {
          headers: { Authorization: `Bearer ${READ_KEY}x` },
        }),
        fetch(`${instance.url}/rest/v1/billing-runs`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${READ_KEY}` },
        }),
        fetch(`${instance.url}/rest/v1/invoices`, {
          headers: { Authorization: `Basic ${OPERATE_KEY}` },
        }),
      ];
      expect((await Promise.all(refused)).map((response) => response.status)).toEqual([
        401, 403, 401,
      ]);
      runId = await startRun(instance);
      await waitForCompleted(instance, runId, 60_000);
      await waitFor(() => instance.tail(400).includes('was UNKNOWN; the provider says'), {
        timeoutMs: 30_000,
        message: "the sweep's lookup to settle an UNKNOWN invoice",
      });
    });
    await instance.kill('SIGTERM');

    const lines = instance
      .tail(400)
      .split('\n')
      .filter((line) => !line.startsWith('--- '));
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    expect(parsed.length).toBeGreaterThan(20);
    for (const line of parsed) {
      expect(line).toMatchObject({
        level: expect.any(String),
        time: expect.any(String),
        instanceId: instance.instanceId,
      });
    }
    const billing = parsed.filter((line) => BILLING_CONTEXTS.includes(line.context as string));
    for (const line of billing) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['runId', 'invoiceId', 'attempt']));
      const key = ATTEMPT_KEY.exec(line.msg as string);
      if (key) {
        expect(line).toMatchObject({
          runId: expect.any(String),
          invoiceId: key[1],
          attempt: Number(key[2]),
        });
      }
    }
    // The run's own lines, and the sweep's line about one attempt of the run.
    expect(billing.filter((line) => line.runId === runId).length).toBeGreaterThanOrEqual(2);
    expect(billing).toContainEqual(
      expect.objectContaining({
        context: 'RecoverySweep',
        runId,
        invoiceId: expect.any(String),
        attempt: 1,
      }),
    );
    const output = lines.join('\n');
    for (const secret of [READ_KEY, OPERATE_KEY, cluster.env.ANTAEUS_API_TOKEN]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/Bearer (?!\[redacted\])/i);
    // The refused requests are logged, with their status and without their headers.
    const statuses = parsed
      .filter((line) => line.msg === 'request completed')
      .map((line) => (line.res as { statusCode: number }).statusCode);
    expect(statuses).toEqual(expect.arrayContaining([401, 403, 202]));
  });
});
