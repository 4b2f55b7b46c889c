import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RETRY_POLICY } from '../../src/billing/domain';
import { retryPolicyOf } from '../../src/billing/retry-policy-of';
import { ConfigError, loadConfig } from '../../src/config/load-config';
import { DEFAULT_PROVIDER_GATE_CONFIG } from '../../src/config/provider-gate-config';
import { problemsOf } from './problems-of';

describe('loadConfig', () => {
  it('defaults to the embedded store under ./data, port 7000, the simulated provider', () => {
    const config = loadConfig({});
    expect(config.eventStore).toEqual({
      kind: 'embedded',
      dataDir: expect.stringMatching(/\/data$/),
    });
    expect(config.database.kind).toBe('pglite');
    expect(config.port).toBe(7000);
    expect(config.seedDemoData).toBe(true);
    expect(config.billing).toEqual({
      concurrency: 32,
      attemptTimeoutMs: 60_000,
      cron: '0 0 1 * *',
      timeZone: 'UTC',
      retryPolicy: undefined,
      retryCron: '*/15 * * * *',
      testClock: false,
      providerGate: DEFAULT_PROVIDER_GATE_CONFIG,
    });
    expect(config.paymentProvider.kind).toBe('simulated');
  });

  it('selects PostgreSQL by DATABASE_URL and does not seed by default', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/antaeus' });
    expect(config.eventStore).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/antaeus' });
    expect(config.seedDemoData).toBe(false);
  });

  it('selects EventStoreDB and keeps the read models in PostgreSQL', () => {
    const config = loadConfig({
      ESDB_CONNECTION_STRING: 'esdb://es:2113?tls=false',
      DATABASE_URL: 'postgres://u@db/antaeus',
    });
    expect(config.eventStore.kind).toBe('eventstoredb');
    expect(config.database).toMatchObject({ kind: 'postgres', url: 'postgres://u@db/antaeus' });
  });

  it('refuses EventStoreDB without DATABASE_URL, saying so', () => {
    expect(problemsOf({ ESDB_CONNECTION_STRING: 'esdb://es:2113?tls=false' })).toEqual([
      expect.stringContaining('DATABASE_URL is required'),
    ]);
  });

  it('reports every bad value at once, naming each variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      BILLING_CONCURRENCY: '0',
      BILLING_TIMEZONE: 'Mars/Olympus',
      DATABASE_URL: 'mysql://x',
      ANTAEUS_SEED: 'maybe',
      PAYMENT_PROVIDER: 'stripe',
      SIMULATED_DECLINE_RATE: '0.1',
    });
    for (const name of [
      'PORT',
      'BILLING_CONCURRENCY',
      'BILLING_TIMEZONE',
      'DATABASE_URL',
      'ANTAEUS_SEED',
      'PAYMENT_PROVIDER',
      'SIMULATED_DECLINE_RATE',
    ]) {
      expect(problems.some((problem) => problem.includes(name))).toBe(true);
    }
  });

  it('selects the HTTP provider, not idempotent and without lookup unless told', () => {
    const config = loadConfig({
      PAYMENT_PROVIDER: 'http',
      PAYMENT_PROVIDER_URL: 'https://pay.example/v1',
      ANTAEUS_INSTANCE_ID: 'antaeus-7',
    });
    expect(config.paymentProvider).toEqual({
      kind: 'http',
      http: {
        url: 'https://pay.example/v1',
        timeoutMs: 10_000,
        idempotent: false,
        lookup: false,
        processingDeadlineMs: null,
        clientId: 'antaeus-7',
      },
    });
    const told = loadConfig({
      PAYMENT_PROVIDER: 'http',
      PAYMENT_PROVIDER_URL: 'http://sim:7100',
      PAYMENT_PROVIDER_TIMEOUT_MS: '1500',
      PAYMENT_PROVIDER_IDEMPOTENT: 'true',
      PAYMENT_PROVIDER_LOOKUP: 'true',
    });
    expect(told.paymentProvider).toMatchObject({
      kind: 'http',
      http: { timeoutMs: 1500, idempotent: true, lookup: true },
    });
  });

  it('reads the processing deadline the provider declares, only with its lookup', () => {
    const http = { PAYMENT_PROVIDER: 'http', PAYMENT_PROVIDER_URL: 'http://sim:7100' };
    const declared = loadConfig({
      ...http,
      PAYMENT_PROVIDER_LOOKUP: 'true',
      PAYMENT_PROVIDER_DEADLINE_MS: '30000',
    });
    expect(declared.paymentProvider).toMatchObject({ http: { processingDeadlineMs: 30_000 } });
    expect(problemsOf({ ...http, PAYMENT_PROVIDER_DEADLINE_MS: '30000' })).toEqual([
      expect.stringContaining('PAYMENT_PROVIDER_DEADLINE_MS needs PAYMENT_PROVIDER_LOOKUP=true'),
    ]);
    expect(
      problemsOf({ ...http, PAYMENT_PROVIDER_LOOKUP: 'true', PAYMENT_PROVIDER_DEADLINE_MS: '0' }),
    ).toEqual([expect.stringContaining('PAYMENT_PROVIDER_DEADLINE_MS')]);
  });

  it('refuses the HTTP provider without a usable URL or with a bad timeout', () => {
    expect(problemsOf({ PAYMENT_PROVIDER: 'http' })).toEqual([
      expect.stringContaining('PAYMENT_PROVIDER_URL'),
    ]);
    const problems = problemsOf({
      PAYMENT_PROVIDER: 'http',
      PAYMENT_PROVIDER_URL: 'ftp://pay.example',
      PAYMENT_PROVIDER_TIMEOUT_MS: '0',
      PAYMENT_PROVIDER_IDEMPOTENT: 'perhaps',
    });
    expect(problems).toEqual([
      expect.stringContaining('PAYMENT_PROVIDER_URL must be an http:// or https:// URL'),
      expect.stringContaining('PAYMENT_PROVIDER_TIMEOUT_MS'),
      expect.stringContaining('PAYMENT_PROVIDER_IDEMPOTENT'),
    ]);
  });

  describe('BILLING_RETRY_POLICY', () => {
    const policy = { name: 'eu', retries: { NETWORK: ['2h'] } };

    it('reads a policy inline, or from the file it names', () => {
      const inline = loadConfig({ BILLING_RETRY_POLICY: JSON.stringify(policy) });
      expect(inline.billing.retryPolicy).toEqual(policy);
      const dir = mkdtempSync(join(tmpdir(), 'antaeus-policy-'));
      const file = join(dir, 'policy.json');
      writeFileSync(file, JSON.stringify(policy));
      expect(loadConfig({ BILLING_RETRY_POLICY: file }).billing.retryPolicy).toEqual(policy);
    });

    it('refuses a file it cannot read and text that is not JSON', () => {
      expect(problemsOf({ BILLING_RETRY_POLICY: '/nonexistent/policy.json' })).toEqual([
        'BILLING_RETRY_POLICY must be a JSON policy or the path of a file holding one; cannot read "/nonexistent/policy.json": ENOENT',
      ]);
      expect(problemsOf({ BILLING_RETRY_POLICY: '{name: eu}' })[0]).toMatch(
        /^BILLING_RETRY_POLICY is not valid JSON: /,
      );
    });

    it('is checked against the failure reasons at start, every problem named', () => {
      const config = loadConfig({
        BILLING_RETRY_POLICY: '{"name": "eu", "retries": {"UNKNOWN": ["1h"], "NETWORK": ["soon"]}}',
      });
      expect(() => retryPolicyOf(config.billing)).toThrow(ConfigError);
      expect(() => retryPolicyOf(config.billing)).toThrow(
        /BILLING_RETRY_POLICY: "UNKNOWN" is an unknown outcome[^\n]*\n.*BILLING_RETRY_POLICY: "NETWORK": "soon" is not a delay/,
      );
      expect(retryPolicyOf(loadConfig({}).billing)).toBe(DEFAULT_RETRY_POLICY);
    });
  });

  it('moves time only outside production (ANTAEUS_TEST_CLOCK)', () => {
    expect(loadConfig({ ANTAEUS_TEST_CLOCK: 'true' }).billing.testClock).toBe(true);
    expect(
      problemsOf({
        ANTAEUS_TEST_CLOCK: 'true',
        NODE_ENV: 'production',
        ANTAEUS_API_TOKEN: 'x'.repeat(32),
      }),
    ).toEqual([
      'ANTAEUS_TEST_CLOCK=true is refused with NODE_ENV=production: a clock that can be moved is for tests and demos only',
    ]);
  });

  it('reads the provider breaker and back-off settings, and refuses a breaker that can never open or close', () => {
    const config = loadConfig({
      PAYMENT_PROVIDER_BREAKER_FAILURES: '5',
      PAYMENT_PROVIDER_BREAKER_FAILURE_RATIO: '0.25',
      PAYMENT_PROVIDER_BREAKER_WINDOW: '20',
      PAYMENT_PROVIDER_BREAKER_OPEN_MS: '500',
      PAYMENT_PROVIDER_BREAKER_MAX_OPEN_MS: '4000',
      PAYMENT_PROVIDER_MAX_BACKOFF_MS: '30000',
    });
    expect(config.billing.providerGate).toEqual({
      consecutiveFailures: 5,
      failureRatio: 0.25,
      window: 20,
      openMs: 500,
      maxOpenMs: 4_000,
      maxBackoffMs: 30_000,
      maxChargesPerSecond: null,
    });
    expect(() =>
      loadConfig({
        PAYMENT_PROVIDER_BREAKER_FAILURE_RATIO: '0',
        PAYMENT_PROVIDER_BREAKER_OPEN_MS: '5000',
        PAYMENT_PROVIDER_BREAKER_MAX_OPEN_MS: '1000',
      }),
    ).toThrow(
      /PAYMENT_PROVIDER_BREAKER_FAILURE_RATIO must be above 0[\s\S]*PAYMENT_PROVIDER_BREAKER_MAX_OPEN_MS \(1000\) must be at least/,
    );
  });

  it('reads PAYMENT_PROVIDER_MAX_RPS as a positive whole number of charges a second, unset for no limit', () => {
    expect(loadConfig({}).billing.providerGate.maxChargesPerSecond).toBeNull();
    expect(
      loadConfig({ PAYMENT_PROVIDER_MAX_RPS: ' ' }).billing.providerGate.maxChargesPerSecond,
    ).toBeNull();
    expect(
      loadConfig({ PAYMENT_PROVIDER_MAX_RPS: '200' }).billing.providerGate.maxChargesPerSecond,
    ).toBe(200);
    for (const bad of ['0', '-5', '2.5', '100/s', '100001']) {
      expect(() => loadConfig({ PAYMENT_PROVIDER_MAX_RPS: bad })).toThrow(
        `PAYMENT_PROVIDER_MAX_RPS must be an integer from 1 to 100000, got ${JSON.stringify(bad)}`,
      );
    }
  });
});
