import { HttpException } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply } from 'fastify';
import { apiErrorBody, toApiError } from './errors/to-api-error';

/** Request bodies above this are answered 413: a batch of 1,000 invoices fits well within. */
export const REQUEST_BODY_LIMIT_BYTES = 1024 * 1024;
/** Longer path parameters are answered 414; shorter ones reach the routes' validation. */
export const MAX_PATH_PARAMETER_LENGTH = 1024;

/**
 * The HTTP platform of the service and of every test that serves the API: Fastify, which
 * serves a page of invoices for less CPU than Express (docs/benchmarks.md, "REST
 * latency"). Paths are case-sensitive; a trailing slash is
 * ignored. Route errors leave through ApiExceptionFilter; the few the router answers
 * before any route runs (a path that is not valid percent-encoding, a parameter too
 * long) are given the same shape here.
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: REQUEST_BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH, ignoreTrailingSlash: true },
    frameworkErrors: (error: FastifyError, _request: unknown, reply: FastifyReply) => {
      const apiError = toApiError(
        new HttpException(error.message, error.statusCode ?? 400, { cause: error }),
      );
      void reply.code(apiError.statusCode).send(apiErrorBody(apiError));
    },
  });
}
