import { Global, Module } from '@nestjs/common';
import { AntaeusMetrics } from './antaeus-metrics';

/**
 * The instance's metrics, global: the event store and the payment provider record into
 * them where they are wired (optional there, so a test module without this one works).
 */
@Global()
@Module({
  providers: [{ provide: AntaeusMetrics, useFactory: () => new AntaeusMetrics() }],
  exports: [AntaeusMetrics],
})
export class MetricsModule {}
