import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AntaeusMetrics } from '../../metrics/antaeus-metrics';

/**
 * Counts every answered request into `antaeus_http_requests_total` by its route template
 * (`/rest/v1/invoices/:invoiceId`, never the id), so refusals by the guard, the router
 * and the body limit are counted too. A request no route matched is `unmatched`.
 */
@Injectable()
export class HttpMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: AntaeusMetrics,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addHook) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      this.metrics.httpRequests.inc({
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      });
      done();
    });
  }
}
