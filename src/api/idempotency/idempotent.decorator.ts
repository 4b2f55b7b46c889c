import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from '../errors/api-error.dto';
import { ERROR_DESCRIPTIONS } from '../errors/api-error-responses.decorator';
import { IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key-header';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Makes a POST route honour an Idempotency-Key header (docs/api.md, "Idempotent
 * requests") and documents it. Put it after the route's guards.
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description: `Makes a retry safe: the same key with the same request within 24 hours gets the first answer again (status and body, with Idempotent-Replayed: true) and nothing is done twice; with another request, 422 IDEMPOTENCY_KEY_REUSED; while the first still runs, 409 IDEMPOTENCY_KEY_IN_USE. 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, e.g. a UUID.`,
      schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
    }),
    ApiResponse({ status: 409, type: ApiErrorDto, description: ERROR_DESCRIPTIONS[409] }),
    ApiResponse({ status: 422, type: ApiErrorDto, description: ERROR_DESCRIPTIONS[422] }),
  );
}
