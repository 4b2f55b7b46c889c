import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiErrorItemDto } from './api-error-item.dto';

/** The one error body every route answers with, whatever went wrong. */
export class ApiErrorDto {
  @ApiProperty({ example: 409 })
  readonly statusCode!: number;

  @ApiProperty({ description: 'The HTTP reason phrase', example: 'Conflict' })
  readonly error!: string;

  @ApiProperty({
    description:
      'A stable code to branch on: a domain code (NOT_FAILED, NOT_UNKNOWN, INVOICE_NOT_FOUND...), VALIDATION_FAILED, INVALID_JSON, IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_USE, INVALID_URL, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, WRONG_EXPECTED_VERSION, SERVICE_UNAVAILABLE or INTERNAL_ERROR',
    example: 'NOT_FAILED',
  })
  readonly code!: string;

  @ApiProperty({
    description: 'What went wrong, for a person; names the field for a bad request',
    example: 'invoice 42 is PAID, only a FAILED invoice can be requeued',
  })
  readonly message!: string;

  @ApiPropertyOptional({
    type: [ApiErrorItemDto],
    description:
      'Each problem on its own, in order: on every VALIDATION_FAILED (one per bad field) and every refused batch (one per problem, in index order); absent otherwise',
  })
  readonly errors?: readonly ApiErrorItemDto[];
}
