import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { apiErrorBody, toApiError } from './to-api-error';

/**
 * Every error of every route (and unknown routes, bad JSON, bad URLs) leaves through
 * here as `{ statusCode, error, code, message }`. Bugs are logged with their stack and
 * answered with a generic message: no stack or internal detail reaches the client.
 * Written against Nest's HTTP adapter, not the platform's own request and reply.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = http.getResponse();
    const request: unknown = http.getRequest();
    const apiError = toApiError(exception);
    const { statusCode, log } = apiError;
    const route = `${adapter.getRequestMethod(request)} ${adapter.getRequestUrl(request)}`;
    if (log === 'error') {
      const stack = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error(`${route} failed with ${statusCode}`, stack);
    } else if (log === 'warn') {
      const detail = exception instanceof Error ? exception.message : String(exception);
      this.logger.warn(`${route} answered ${statusCode}: ${detail}`);
    }
    if (adapter.isHeadersSent(response)) {
      adapter.end(response);
      return;
    }
    if (statusCode === 401) adapter.setHeader(response, 'WWW-Authenticate', 'Bearer');
    adapter.reply(response, apiErrorBody(apiError), statusCode);
  }
}
