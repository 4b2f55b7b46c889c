import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from './api-error.dto';

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: the message names the field (or the Idempotency-Key header); errors lists each problem',
  404: 'No such resource',
  409: 'The resource is not in a state that allows this, or the id holds another resource (the message says why), or a request with this Idempotency-Key is still running (IDEMPOTENCY_KEY_IN_USE)',
  413: 'The request body is over 1 MB',
  422: 'The request is well-formed but names an unknown customer or another currency, or IDEMPOTENCY_KEY_REUSED: this Idempotency-Key was used with another request in the last 24 hours',
  503: 'The event store or database is unavailable',
};

/** Documents the error answers of a route; every one has the ApiErrorDto shape. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...statuses, 503].map((status) =>
      ApiResponse({ status, type: ApiErrorDto, description: ERROR_DESCRIPTIONS[status] }),
    ),
  );
}
