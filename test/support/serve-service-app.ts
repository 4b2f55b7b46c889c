import type { INestApplication, LogLevel } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { ProjectionsModule } from '../../projections/projections.module';
import { ApiModule } from '../../src/api/api.module';
import { simulatedClockOf } from '../../src/app.module';
import { TestClock } from '../../src/billing/test-clock';
import { MetricsApiModule } from '../../src/api/metrics/metrics-api.module';
import { BillingModule } from '../../src/billing/billing.module';
import type { BillingTuning } from '../../src/billing/billing-tuning';
import { ConfigModule } from '../../src/config/config.module';
import { loadConfig } from '../../src/config/load-config';
import {
  DEFAULT_SIMULATED_PROVIDER_CONFIG,
  type SimulatedProviderConfig,
} from '../../src/config/simulated-provider-config';
import { DatabaseModule } from '../../src/database/database.module';
import { EventStoreModule } from '../../src/event-store/event-store.module';
import { MetricsModule } from '../../src/metrics/metrics.module';
import { PaymentsModule } from '../../src/payments/payments.module';
import { serveHttp } from './serve-http';

export interface ServiceAppOptions {
  /** The service's environment (store, token, instance...), read by loadConfig. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether the simulated provider deduplicates by idempotency key (default true). */
  readonly idempotentProvider?: boolean;
  readonly tuning?: Partial<BillingTuning>;
  /** Provider overrides (a test clock...) before the module is compiled. */
  readonly override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  readonly logger?: false | LogLevel[];
  /** Simulated provider settings over the defaults (late payers...). */
  readonly simulated?: Partial<SimulatedProviderConfig>;
}

/**
 * The whole service as main.ts composes it (config, metrics, database, event store,
 * projections, billing without background work, the API and /metrics) on the simulated provider, served over HTTP.
 * Runs are only started by requests, so a test decides when anything is charged.
 */
export async function serveServiceApp(options: ServiceAppOptions): Promise<INestApplication> {
  const config = loadConfig(options.env);
  const idempotent = options.idempotentProvider ?? true;
  // As serviceModules: with ANTAEUS_TEST_CLOCK=true billing and the simulator share one.
  const clock = config.billing.testClock ? new TestClock() : undefined;
  const builder = Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      MetricsModule,
      DatabaseModule,
      EventStoreModule,
      ProjectionsModule,
      BillingModule.register({
        background: false,
        ...(options.tuning ? { tuning: options.tuning } : {}),
        ...(clock ? { clock } : {}),
        imports: [
          PaymentsModule.register({
            useFactory: () => ({
              kind: 'simulated' as const,
              simulated: { ...DEFAULT_SIMULATED_PROVIDER_CONFIG, ...options.simulated, idempotent },
            }),
            ...(clock ? { simulatedClock: simulatedClockOf(clock) } : {}),
          }),
        ],
      }),
      ApiModule,
      MetricsApiModule,
    ],
  });
  const moduleRef = await (options.override ? options.override(builder) : builder).compile();
  return serveHttp(moduleRef, options.logger ?? false);
}
