import { Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { ReadSideMetrics } from './read-side-metrics';

/**
 * `/metrics` and what only the served app records: HTTP requests, and the read side's
 * gauges at each scrape. Needs the global MetricsModule, APP_CONFIG, EVENT_STORE,
 * INVOICE_STATUS_COUNTS, BILLING_RUN_READ_MODEL and PROJECTION_STATUS (ProjectionsModule).
 * The ApiKeyGuard it relies on is ApiModule's, global.
 */
@Module({
  controllers: [MetricsController],
  providers: [HttpMetrics, ReadSideMetrics],
})
export class MetricsApiModule {}
