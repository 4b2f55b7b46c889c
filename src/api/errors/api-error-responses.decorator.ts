import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from './api-error.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: the message names the field',
  404: 'No such resource',
  409: 'The resource is not in a state that allows this (the message says why)',
  503: 'The event store or database is unavailable',
};

/** Documents the error answers of a route; every one has the ApiErrorDto shape. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...statuses, 503].map((status) =>
      ApiResponse({ status, type: ApiErrorDto, description: DESCRIPTIONS[status] }),
    ),
  );
}
