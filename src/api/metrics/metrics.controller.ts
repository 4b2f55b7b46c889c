import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { prometheusContentType } from 'prom-client';
import { AntaeusMetrics } from '../../metrics/antaeus-metrics';
import { PublicWhen } from '../auth/public-when.decorator';
import { RequiresScope } from '../auth/requires-scope.decorator';

/** The instance's Prometheus metrics: a key with `read`, unless METRICS_PUBLIC=true. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: AntaeusMetrics) {}

  @Get()
  @RequiresScope('read')
  @PublicWhen((config) => config.metricsPublic)
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
