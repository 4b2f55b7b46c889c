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
}

export interface AppConfig {
  readonly port: number;
  readonly instanceId: string;
  readonly eventStore: EventStoreConfig;
  readonly database: DatabaseConfig;
  /** Undefined: the service makes one at start and prints it once. */
  readonly apiToken: string | undefined;
  /** Seed the demo data set into an empty embedded store at start. */
  readonly seedDemoData: boolean;
  readonly billing: BillingConfig;
  readonly paymentProvider: PaymentProviderConfig;
}
