import type { ProviderGateConfig } from './provider-gate-config';
import type { PaymentProviderConfig } from './payment-provider-config';

/** Nest injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export type EventStoreConfig =
  | { readonly kind: 'embedded'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string };

/** Where the read models (and, but for EventStoreDB, the events) live. */
export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number };

export interface BillingConfig {
  readonly concurrency: number;
  readonly attemptTimeoutMs: number;
  readonly cron: string;
  readonly timeZone: string;
  /**
   * BILLING_RETRY_POLICY as parsed JSON (inline, or read from the file it names); absent:
   * the documented defaults. Its meaning is checked by the billing domain at start
   * (src/billing/retry-policy-of.ts), which the config layer may not import.
   */
  readonly retryPolicy?: unknown;
  /** BILLING_RETRY_CRON: when the retry scan looks for retries due (default every 15 min). */
  readonly retryCron?: string;
  /**
   * ANTAEUS_TEST_CLOCK: the billing clock is a TestClock that tests and demos move with
   * POST /rest/v1/test-clock/advance (refused with NODE_ENV=production).
   */
  readonly testClock?: boolean;
  readonly providerGate: ProviderGateConfig;
}

/** What an API key may do: `read` the GET routes, `operate` the POST routes. */
export const API_SCOPES = ['read', 'operate'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * One configured API key. `name` is the principal: it names who acted in the audit
 * trail, and several entries may share it (a key and its replacement, during rotation).
 */
export interface ApiKeyConfig {
  readonly name: string;
  readonly scopes: readonly ApiScope[];
  readonly key: string;
}

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LogConfig {
  readonly format: LogFormat;
  readonly level: LogLevelName;
}

export interface AppConfig {
  readonly port: number;
  readonly instanceId: string;
  readonly eventStore: EventStoreConfig;
  readonly database: DatabaseConfig;
  /**
   * ANTAEUS_API_KEYS, plus ANTAEUS_API_TOKEN as one key with both scopes. Empty: the
   * service makes one key with both scopes at start and prints it once.
   */
  readonly apiKeys: readonly ApiKeyConfig[];
  readonly log: LogConfig;
  /** METRICS_PUBLIC: serve /metrics without an API key (default: the `read` scope). */
  readonly metricsPublic: boolean;
  /** Seed the demo data set into an empty embedded store at start. */
  readonly seedDemoData: boolean;
  readonly billing: BillingConfig;
  readonly paymentProvider: PaymentProviderConfig;
}
