import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { reasonPhrase, toApiError } from './to-api-error';

/**
 * Every error of every route (and unknown routes, bad JSON, bad URLs) leaves through
 * here as `{ statusCode, error, code, message }`. Bugs are logged with their stack and
 * answered with a generic message: no stack or internal detail reaches the client.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { statusCode, code, message, log } = toApiError(exception);
    const route = `${request.method} ${request.originalUrl ?? request.url}`;
    if (log === 'error') {
      const stack = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error(`${route} failed with ${statusCode}`, stack);
    } else if (log === 'warn') {
      const detail = exception instanceof Error ? exception.message : String(exception);
      this.logger.warn(`${route} answered ${statusCode}: ${detail}`);
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    if (statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response
      .status(statusCode)
      .json({ statusCode, error: reasonPhrase(statusCode), code, message });
  }
}
