import { Module, type DynamicModule } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { ApiModule } from './api/api.module';
import { BillingModule } from './billing/billing.module';
import { TestClock } from './billing/test-clock';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsApiModule } from './api/metrics/metrics-api.module';
import { MetricsModule } from './metrics/metrics.module';
import { PaymentsModule } from './payments/payments.module';
import { systemClock, type SimulatedClock } from './payments/simulated/simulated-clock';
import { DemoSeeder } from './seed/demo-seeder';

export interface ServiceModuleOptions {
  /** Start the scheduler, run watcher and recovery sweep (default true; off in the CLI). */
  readonly background?: boolean;
}

/** The service's modules, shared by the HTTP service and the CLI. Wiring only. */
export function serviceModules(config: AppConfig | undefined, options: ServiceModuleOptions = {}) {
  // ANTAEUS_TEST_CLOCK=true: one clock that billing and the simulated provider both read.
  const clock = config?.billing.testClock ? new TestClock() : undefined;
  const payments = PaymentsModule.register({
    inject: [APP_CONFIG],
    useFactory: (appConfig: AppConfig) => appConfig.paymentProvider,
    ...(clock ? { simulatedClock: simulatedClockOf(clock) } : {}),
  });
  return [
    ConfigModule.forRoot(config),
    DatabaseModule,
    EventStoreModule,
    ProjectionsModule,
    payments,
    BillingModule.register({
      imports: [payments],
      background: options.background ?? true,
      ...(clock ? { clock } : {}),
    }),
  ];
}

/** The simulator stamps and decides in the test clock's time; its latency stays real. */
export function simulatedClockOf(clock: TestClock): SimulatedClock {
  return { now: () => clock.now().getTime(), sleep: systemClock.sleep };
}

/** The HTTP service, logging through LoggingModule (LOG_FORMAT, LOG_LEVEL), with /metrics. */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...serviceModules(config),
        LoggingModule.forRoot(),
        MetricsModule,
        ApiModule,
        MetricsApiModule,
        HealthModule,
      ],
      providers: [DemoSeeder],
    };
  }
}
