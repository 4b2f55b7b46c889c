import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { BILLING_CLOCK, systemBillingClock, type BillingClock } from './billing-clock';
import { TestClock } from './test-clock';
import { AdvanceTestClockHandler } from './commands/advance-test-clock.handler';
import { BILLING_BACKGROUND, BillingLifecycle } from './billing-lifecycle';
import { BILLING_TUNING, billingTuning, type BillingTuning } from './billing-tuning';
import { IssueInvoiceHandler } from './commands/issue-invoice.handler';
import { RequeueInvoiceHandler } from './commands/requeue-invoice.handler';
import { ResolveInvoiceHandler } from './commands/resolve-invoice.handler';
import { StartBillingRunHandler } from './commands/start-billing-run.handler';
import { BillingEngine } from './engine/billing-engine';
import { OutcomeRecorder } from './engine/outcome-recorder';
import { PageClaimer } from './engine/page-claimer';
import { PositionTracker } from './engine/position-tracker';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payment-provider/payment-provider.port';
import { ProviderGate } from './engine/provider/provider-gate';
import { ChargePacer, type DroppedTokenReason } from './engine/provider/charge-pacer';
import { InProcessChargeRateLimit } from './engine/provider/in-process-charge-rate-limit';
import { CHARGE_RATE_LIMIT, type ChargeRateLimit } from './engine/charge-rate-limit.port';
import { meterProviderGate } from './engine/provider/meter-provider-gate';
import { AntaeusMetrics } from '../metrics/antaeus-metrics';
import { RecoverySweep } from './engine/recovery-sweep';
import { RunWatcher } from './engine/run-watcher';
import { CommandExecutor } from './command-executor';
import { BillingScheduler } from './scheduling/billing-scheduler';
import { RetryScheduler } from './scheduling/retry-scheduler';
import { CreateInvoiceBatchHandler } from './commands/create-invoice-batch.handler';
import { CreateInvoiceHandler } from './commands/create-invoice.handler';
import { RegisterCustomerHandler } from './commands/register-customer.handler';
import { VoidInvoiceHandler } from './commands/void-invoice.handler';
import { GetProviderStatusHandler } from './queries/get-provider-status.handler';
import { InstallationRecorder } from './scheduling/installation-recorder';
import { BillingRunRepository } from './store/billing-run-repository';
import { InvoiceRepository } from './store/invoice-repository';
import { StreamRepository } from './store/stream-repository';

export interface BillingModuleOptions {
  /**
   * Modules that provide PAYMENT_PROVIDER (PaymentsModule.register) and, unless they are
   * global, INVOICE_SCAN, BILLING_RUN_PROGRESS and PROJECTION_STATUS (billing-read-model.port.ts).
   * APP_CONFIG and EVENT_STORE come from the global config and event-store modules.
   */
  readonly imports?: ModuleMetadata['imports'];
  /** Start the scheduler, run watcher and recovery sweep at bootstrap (default true). */
  readonly background?: boolean;
  /** Overrides of the tuning derived from APP_CONFIG.billing (tests, benchmarks). */
  readonly tuning?: Partial<BillingTuning>;
  /**
   * The clock claims, outcomes and the sweep decide with (tests move it). Default: real
   * time, or a TestClock with ANTAEUS_TEST_CLOCK=true.
   */
  readonly clock?: BillingClock;
}

export const BILLING_COMMAND_HANDLERS = [
  StartBillingRunHandler,
  IssueInvoiceHandler,
  RequeueInvoiceHandler,
  ResolveInvoiceHandler,
  VoidInvoiceHandler,
  RegisterCustomerHandler,
  CreateInvoiceHandler,
  CreateInvoiceBatchHandler,
  AdvanceTestClockHandler,
];

/**
 * The write side of billing: command handlers, engine, recovery sweep, scheduler. Wiring
 * only. It imports the app's one CqrsModule.forRoot() (global: the API's buses too).
 */
@Module({})
export class BillingModule {
  static register(options: BillingModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [
      {
        // ANTAEUS_TEST_CLOCK=true (refused in production): a clock an operator moves.
        provide: BILLING_CLOCK,
        inject: [APP_CONFIG],
        useFactory: (config: AppConfig): BillingClock =>
          options.clock ?? (config.billing.testClock ? new TestClock() : systemBillingClock),
      },
      {
        provide: BILLING_TUNING,
        inject: [APP_CONFIG],
        useFactory: (config: AppConfig) => billingTuning(config.billing, options.tuning),
      },
      { provide: BILLING_BACKGROUND, useValue: options.background ?? true },
      StreamRepository,
      InvoiceRepository,
      BillingRunRepository,
      CommandExecutor,
      {
        // One per instance: the engine's claims and charges (and anything else that
        // charges, or reports on the provider) see the same breaker and back-off.
        provide: ProviderGate,
        inject: [BILLING_TUNING, PAYMENT_PROVIDER, { token: AntaeusMetrics, optional: true }],
        useFactory: (
          tuning: BillingTuning,
          provider: PaymentProvider,
          metrics: AntaeusMetrics | undefined,
        ) => {
          // A failure holds new calls only where it can strand UNKNOWN (docs/design.md §2.6).
          const { breaker } = tuning.providerGate;
          const gate = new ProviderGate(
            {
              ...tuning.providerGate,
              breaker: { ...breaker, holdAfterAmbiguous: !provider.idempotent },
            },
            Date.now,
          );
          if (metrics) meterProviderGate(gate, metrics);
          return gate;
        },
      },
      {
        // One per instance, like the gate: every send of the engine, its resends and the
        // sweep's re-drives draw on it (docs/design.md §2.6).
        provide: ChargePacer,
        inject: [
          APP_CONFIG,
          BILLING_TUNING,
          { token: CHARGE_RATE_LIMIT, optional: true },
          { token: AntaeusMetrics, optional: true },
        ],
        useFactory: (
          config: AppConfig,
          tuning: BillingTuning,
          shared: ChargeRateLimit | undefined,
          metrics: AntaeusMetrics | undefined,
        ) =>
          new ChargePacer(tuning.chargePacer, chargeRateLimitFor(config, tuning, shared), {
            ...(metrics
              ? {
                  onWait: (ms: number) => metrics.providerRateLimitWait.observe(ms / 1_000),
                  onDropped: (tokens: number, reason: DroppedTokenReason) =>
                    metrics.providerRateLimitTokensDropped.inc({ reason }, tokens),
                }
              : {}),
          }),
      },
      PositionTracker,
      PageClaimer,
      OutcomeRecorder,
      BillingEngine,
      RunWatcher,
      RecoverySweep,
      InstallationRecorder,
      BillingScheduler,
      RetryScheduler,
      BillingLifecycle,
      GetProviderStatusHandler,
      ...BILLING_COMMAND_HANDLERS,
    ];
    return {
      module: BillingModule,
      imports: [CqrsModule.forRoot(), ScheduleModule.forRoot(), ...(options.imports ?? [])],
      providers,
      exports: [
        BillingEngine,
        ProviderGate,
        ChargePacer,
        RunWatcher,
        RecoverySweep,
        BillingScheduler,
        RetryScheduler,
        InvoiceRepository,
        StreamRepository,
        CommandExecutor,
      ],
    };
  }
}

/**
 * Where the instance takes its charges' tokens: embedded PGlite is one process, so its
 * bucket is in memory; on PostgreSQL every instance shares the bucket the read side
 * binds (CHARGE_RATE_LIMIT), and a bucket of one's own would multiply the limit.
 */
function chargeRateLimitFor(
  config: AppConfig,
  tuning: BillingTuning,
  shared: ChargeRateLimit | undefined,
): ChargeRateLimit {
  if (tuning.chargePacer.limit === null || config.database.kind === 'pglite') {
    return new InProcessChargeRateLimit();
  }
  if (!shared) {
    throw new Error(
      'PAYMENT_PROVIDER_MAX_RPS is set but nothing provides the shared rate limit (CHARGE_RATE_LIMIT): import ProjectionsModule',
    );
  }
  return shared;
}
