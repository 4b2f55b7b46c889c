import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import {
  parseSimulatedProviderConfig,
  SIMULATED_VARIABLES,
} from './parse-simulated-provider-config';
import { DEFAULT_HTTP_PROVIDER_TIMEOUT_MS, type HttpProviderConfig } from './http-provider-config';
import {
  LOG_LEVELS,
  type AppConfig,
  type BillingConfig,
  type DatabaseConfig,
  type EventStoreConfig,
  type LogConfig,
} from './app-config';
import { EnvReader } from './env-reader';
import { DEFAULT_PROVIDER_GATE_CONFIG, type ProviderGateConfig } from './provider-gate-config';
import { parseApiKeys } from './parse-api-keys';

type Env = Readonly<Record<string, string | undefined>>;

/** Every variable the service reads: deployment files are checked against this list. */
export const CONFIG_VARIABLES: readonly string[] = [
  'PORT',
  'ANTAEUS_INSTANCE_ID',
  'ANTAEUS_DATA_DIR',
  'ANTAEUS_API_TOKEN',
  'ANTAEUS_API_KEYS',
  'LOG_FORMAT',
  'LOG_LEVEL',
  'METRICS_PUBLIC',
  'NODE_ENV',
  'ANTAEUS_SEED',
  'ANTAEUS_DEBUG',
  'DATABASE_URL',
  'DATABASE_POOL_SIZE',
  'ESDB_CONNECTION_STRING',
  'BILLING_CONCURRENCY',
  'BILLING_ATTEMPT_TIMEOUT',
  'BILLING_CRON',
  'BILLING_TIMEZONE',
  'BILLING_RETRY_POLICY',
  'BILLING_RETRY_CRON',
  'ANTAEUS_TEST_CLOCK',
  'PAYMENT_PROVIDER',
  'PAYMENT_PROVIDER_URL',
  'PAYMENT_PROVIDER_TIMEOUT_MS',
  'PAYMENT_PROVIDER_IDEMPOTENT',
  'PAYMENT_PROVIDER_LOOKUP',
  'PAYMENT_PROVIDER_DEADLINE_MS',
  'PAYMENT_PROVIDER_BREAKER_FAILURES',
  'PAYMENT_PROVIDER_BREAKER_FAILURE_RATIO',
  'PAYMENT_PROVIDER_BREAKER_WINDOW',
  'PAYMENT_PROVIDER_BREAKER_OPEN_MS',
  'PAYMENT_PROVIDER_BREAKER_MAX_OPEN_MS',
  'PAYMENT_PROVIDER_MAX_BACKOFF_MS',
  'PAYMENT_PROVIDER_MAX_RPS',
  ...SIMULATED_VARIABLES,
];

/** Every problem with the environment at once, each naming its variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** The one config loader: reads, validates and defaults every setting. */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const problems = read.problems;

  const dataDir = resolve(read.string('ANTAEUS_DATA_DIR') ?? './data');
  const databaseUrl = read.postgresUrl('DATABASE_URL');
  const esdb = read.string('ESDB_CONNECTION_STRING');
  const poolSize = read.integer('DATABASE_POOL_SIZE', 20, 1, 1000);

  let eventStore: EventStoreConfig;
  let database: DatabaseConfig;
  if (esdb) {
    eventStore = { kind: 'eventstoredb', connectionString: esdb };
    if (!databaseUrl) {
      problems.push(
        'ESDB_CONNECTION_STRING is set but DATABASE_URL is not: with EventStoreDB the read models live in PostgreSQL, so DATABASE_URL is required',
      );
    }
    database = { kind: 'postgres', url: databaseUrl ?? '', poolSize };
  } else if (databaseUrl) {
    eventStore = { kind: 'postgres', url: databaseUrl };
    database = { kind: 'postgres', url: databaseUrl, poolSize };
  } else {
    eventStore = { kind: 'embedded', dataDir };
    database = { kind: 'pglite', dataDir };
  }

  const billing: BillingConfig = {
    concurrency: read.integer('BILLING_CONCURRENCY', 32, 1, 10_000),
    attemptTimeoutMs: read.integer('BILLING_ATTEMPT_TIMEOUT', 60_000, 1, 86_400_000),
    cron: read.string('BILLING_CRON') ?? '0 0 1 * *',
    timeZone: read.timeZone('BILLING_TIMEZONE', 'UTC'),
    retryPolicy: readRetryPolicy(read),
    retryCron: read.string('BILLING_RETRY_CRON') ?? DEFAULT_RETRY_CRON,
    testClock: readTestClock(read),
    providerGate: readProviderGate(read),
  };

  const instanceId = read.string('ANTAEUS_INSTANCE_ID') ?? `${hostname()}-${process.pid}`;
  const providerKind = read.string('PAYMENT_PROVIDER') ?? 'simulated';
  let http: HttpProviderConfig | null = null;
  if (providerKind === 'http') {
    http = {
      url: read.httpUrl('PAYMENT_PROVIDER_URL') ?? '',
      timeoutMs: read.integer(
        'PAYMENT_PROVIDER_TIMEOUT_MS',
        DEFAULT_HTTP_PROVIDER_TIMEOUT_MS,
        1,
        600_000,
      ),
      idempotent: read.boolean('PAYMENT_PROVIDER_IDEMPOTENT', false),
      lookup: read.boolean('PAYMENT_PROVIDER_LOOKUP', false),
      processingDeadlineMs: readProcessingDeadline(read),
      clientId: instanceId,
    };
    if (http.url === '' && !problems.some((p) => p.startsWith('PAYMENT_PROVIDER_URL'))) {
      problems.push("PAYMENT_PROVIDER=http needs PAYMENT_PROVIDER_URL, the provider's base URL");
    }
  } else if (providerKind !== 'simulated') {
    problems.push(
      `PAYMENT_PROVIDER must be "simulated" or "http", got ${JSON.stringify(providerKind)}`,
    );
  }
  const simulated = parseSimulatedProviderConfig(env);
  if (!simulated.ok) problems.push(...simulated.errors);

  const config: Omit<AppConfig, 'paymentProvider'> = {
    port: read.integer('PORT', 7000, 0, 65_535),
    instanceId,
    eventStore,
    database,
    apiKeys: readApiKeys(read),
    log: readLogConfig(read),
    metricsPublic: read.boolean('METRICS_PUBLIC', false),
    seedDemoData: read.boolean('ANTAEUS_SEED', eventStore.kind === 'embedded'),
    billing,
  };
  readDebug(read); // only the CLI acts on it, but a bad value is refused like any other
  if (problems.length > 0 || !simulated.ok) throw new ConfigError(problems);
  return {
    ...config,
    paymentProvider: http
      ? { kind: 'http', http }
      : { kind: 'simulated', simulated: simulated.config },
  };
}

/** The retry scan's default schedule: every quarter hour. */
export const DEFAULT_RETRY_CRON = '*/15 * * * *';

/**
 * BILLING_RETRY_POLICY: JSON when it starts with `{`, otherwise the path of a JSON file.
 * Only read and parsed here; what it says is checked against the failure reasons by the
 * billing domain at start.
 */
function readRetryPolicy(read: EnvReader): unknown {
  const text = read.string('BILLING_RETRY_POLICY');
  if (text === undefined) return undefined;
  let json = text;
  if (!text.startsWith('{')) {
    try {
      json = readFileSync(text, 'utf8');
    } catch (error) {
      read.problem(
        `BILLING_RETRY_POLICY must be a JSON policy or the path of a file holding one; cannot read ${JSON.stringify(text)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
      return undefined;
    }
  }
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    read.problem(`BILLING_RETRY_POLICY is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * PAYMENT_PROVIDER_DEADLINE_MS: what the provider promises, not a tuning knob, so no
 * default. It makes `not_found` final, so it is only read with a lookup to ask.
 */
function readProcessingDeadline(read: EnvReader): number | null {
  if (read.string('PAYMENT_PROVIDER_DEADLINE_MS') === undefined) return null;
  const deadline = read.integer('PAYMENT_PROVIDER_DEADLINE_MS', 0, 1, 86_400_000);
  if (!read.boolean('PAYMENT_PROVIDER_LOOKUP', false)) {
    read.problem(
      'PAYMENT_PROVIDER_DEADLINE_MS needs PAYMENT_PROVIDER_LOOKUP=true: the deadline only makes the lookup\'s "not found" final',
    );
    return null;
  }
  return deadline;
}

/** Moving time is for tests and demos: a production configuration refuses it. */
function readTestClock(read: EnvReader): boolean {
  const enabled = read.boolean('ANTAEUS_TEST_CLOCK', false);
  if (enabled && read.string('NODE_ENV') === 'production') {
    read.problem(
      'ANTAEUS_TEST_CLOCK=true is refused with NODE_ENV=production: a clock that can be moved is for tests and demos only',
    );
    return false;
  }
  return enabled;
}

/**
 * In production a generated key would be printed into the collected logs, and every
 * instance would have its own: keys must be configured there.
 */
function readApiKeys(read: EnvReader): AppConfig['apiKeys'] {
  const keys = parseApiKeys(read);
  const configured = read.string('ANTAEUS_API_KEYS') ?? read.string('ANTAEUS_API_TOKEN');
  if (configured === undefined && read.string('NODE_ENV') === 'production') {
    read.problem(
      'NODE_ENV=production needs ANTAEUS_API_KEYS or ANTAEUS_API_TOKEN: the service generates a key only outside production',
    );
  }
  return keys;
}

/** JSON lines in production (NODE_ENV=production), readable lines elsewhere. */
function readLogConfig(read: EnvReader): LogConfig {
  const production = read.string('NODE_ENV') === 'production';
  return {
    format: read.oneOf('LOG_FORMAT', ['json', 'pretty'], production ? 'json' : 'pretty'),
    level: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

/** ANTAEUS_DEBUG=true: the CLI prints an error's stack as well as its message. */
export function readDebug(read: EnvReader = new EnvReader(process.env)): boolean {
  return read.boolean('ANTAEUS_DEBUG', false);
}

function readProviderGate(read: EnvReader): ProviderGateConfig {
  const defaults = DEFAULT_PROVIDER_GATE_CONFIG;
  const openMs = read.integer('PAYMENT_PROVIDER_BREAKER_OPEN_MS', defaults.openMs, 1, 3_600_000);
  const gate: ProviderGateConfig = {
    consecutiveFailures: read.integer(
      'PAYMENT_PROVIDER_BREAKER_FAILURES',
      defaults.consecutiveFailures,
      1,
      100_000,
    ),
    failureRatio: read.fraction('PAYMENT_PROVIDER_BREAKER_FAILURE_RATIO', defaults.failureRatio),
    window: read.integer('PAYMENT_PROVIDER_BREAKER_WINDOW', defaults.window, 1, 100_000),
    openMs,
    maxOpenMs: read.integer(
      'PAYMENT_PROVIDER_BREAKER_MAX_OPEN_MS',
      Math.max(defaults.maxOpenMs, openMs),
      1,
      3_600_000,
    ),
    maxBackoffMs: read.integer(
      'PAYMENT_PROVIDER_MAX_BACKOFF_MS',
      defaults.maxBackoffMs,
      0,
      3_600_000,
    ),
    maxChargesPerSecond: readMaxChargesPerSecond(read),
  };
  if (gate.failureRatio === 0) {
    read.problem(
      'PAYMENT_PROVIDER_BREAKER_FAILURE_RATIO must be above 0 (1: only a window of failures)',
    );
  }
  if (gate.maxOpenMs < gate.openMs) {
    read.problem(
      `PAYMENT_PROVIDER_BREAKER_MAX_OPEN_MS (${gate.maxOpenMs}) must be at least PAYMENT_PROVIDER_BREAKER_OPEN_MS (${gate.openMs})`,
    );
  }
  return gate;
}

/** Unset: no limit. Shared by every instance, so each must be given the same value. */
function readMaxChargesPerSecond(read: EnvReader): number | null {
  if (read.string('PAYMENT_PROVIDER_MAX_RPS') === undefined) return null;
  return read.integer('PAYMENT_PROVIDER_MAX_RPS', 0, 1, 100_000) || null;
}
