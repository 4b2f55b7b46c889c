import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  BILLING_RUN_PROGRESS,
  INVOICE_SCAN,
  PROJECTION_STATUS,
} from '../../../src/billing/engine/billing-read-model.port';
import type { BillingClock } from '../../../src/billing/billing-clock';
import {
  CHARGE_RATE_LIMIT,
  type ChargeRateLimit,
} from '../../../src/billing/engine/charge-rate-limit.port';
import type { BillingTuning } from '../../../src/billing/billing-tuning';
import { BillingModule } from '../../../src/billing/billing.module';
import { BillingEngine } from '../../../src/billing/engine/billing-engine';
import { RecoverySweep } from '../../../src/billing/engine/recovery-sweep';
import { RunWatcher } from '../../../src/billing/engine/run-watcher';
import { BillingScheduler } from '../../../src/billing/scheduling/billing-scheduler';
import type { AppConfig, BillingConfig } from '../../../src/config/app-config';
import { ConfigModule } from '../../../src/config/config.module';
import { DEFAULT_PROVIDER_GATE_CONFIG } from '../../../src/config/provider-gate-config';
import { EVENT_STORE, type EventStore } from '../../../src/event-store/event-store.port';
import {
  PAYMENT_PROVIDER,
  type PaymentProvider,
} from '../../../src/payment-provider/payment-provider.port';
import { DEFAULT_SIMULATED_PROVIDER_CONFIG } from '../../../src/config/simulated-provider-config';
import type { InMemoryReadModels } from '../../support/read-models/in-memory-read-models';

export interface BillingInstanceOptions {
  readonly instanceId: string;
  readonly store: EventStore;
  readonly provider: PaymentProvider;
  readonly readModels: InMemoryReadModels;
  /** The rate limit shared with other instances (PAYMENT_PROVIDER_MAX_RPS in `billing`). */
  readonly rateLimit?: ChargeRateLimit;
  readonly clock?: BillingClock;
  readonly billing?: Partial<BillingConfig>;
  readonly tuning?: Partial<BillingTuning>;
  /** Start the scheduler, run watcher and sweep loops at init (default false). */
  readonly background?: boolean;
}

export interface BillingInstance {
  readonly module: TestingModule;
  readonly commandBus: CommandBus;
  readonly engine: BillingEngine;
  readonly watcher: RunWatcher;
  readonly sweep: RecoverySweep;
  readonly scheduler: BillingScheduler;
  close(): Promise<void>;
}

/** Short waits, so tests spend their time billing, not backing off. */
export const FAST_TUNING: Partial<BillingTuning> = {
  providerRetryDelayMs: () => 1,
  storeRetryDelayMs: (retry) => Math.min(50, 5 * retry),
  runPollIntervalMs: 20,
  sweepIntervalMs: 20,
  projectionWaitMs: 10_000,
  shutdownGraceMs: 5_000,
};

export function testConfig(instanceId: string, billing: Partial<BillingConfig> = {}): AppConfig {
  return {
    port: 0,
    instanceId,
    eventStore: { kind: 'postgres', url: 'postgres://unused' },
    database: { kind: 'postgres', url: 'postgres://unused', poolSize: 1 },
    apiKeys: [],
    log: { format: 'pretty', level: 'info' },
    metricsPublic: false,
    seedDemoData: false,
    billing: {
      concurrency: 16,
      attemptTimeoutMs: 60_000,
      cron: '0 0 1 * *',
      timeZone: 'UTC',
      providerGate: DEFAULT_PROVIDER_GATE_CONFIG,
      ...billing,
    },
    paymentProvider: { kind: 'simulated', simulated: DEFAULT_SIMULATED_PROVIDER_CONFIG },
  };
}

/** What the real app gets from the event-store, payments and projections modules. */
@Global()
@Module({})
class TestInfrastructureModule {
  static with(options: BillingInstanceOptions): DynamicModule {
    const providers = [
      { provide: EVENT_STORE, useValue: options.store },
      { provide: PAYMENT_PROVIDER, useValue: options.provider },
      { provide: INVOICE_SCAN, useValue: options.readModels.invoiceReadModel },
      { provide: BILLING_RUN_PROGRESS, useValue: options.readModels.billingRunReadModel },
      { provide: PROJECTION_STATUS, useValue: options.readModels.projectionStatus },
      ...(options.rateLimit ? [{ provide: CHARGE_RATE_LIMIT, useValue: options.rateLimit }] : []),
    ];
    return {
      module: TestInfrastructureModule,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}

/**
 * One service instance: its own Nest context, config (instance id) and BillingModule,
 * on the store object it is given. Separate store objects on one database are separate
 * instances as far as the event store's locks are concerned.
 */
export async function startBillingInstance(
  options: BillingInstanceOptions,
): Promise<BillingInstance> {
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testConfig(options.instanceId, options.billing)),
      TestInfrastructureModule.with(options),
      BillingModule.register({
        background: options.background ?? false,
        tuning: { ...FAST_TUNING, ...options.tuning },
        ...(options.clock ? { clock: options.clock } : {}),
      }),
    ],
  }).compile();
  await module.init();
  return {
    module,
    commandBus: module.get(CommandBus),
    engine: module.get(BillingEngine),
    watcher: module.get(RunWatcher),
    sweep: module.get(RecoverySweep),
    scheduler: module.get(BillingScheduler),
    close: () => module.close(),
  };
}
