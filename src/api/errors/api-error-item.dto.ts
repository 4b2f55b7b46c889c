import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One problem of a refused request, so that a client can map it back to its input. */
export class ApiErrorItemDto {
  @ApiPropertyOptional({
    description: "A batch's entry: its position in `invoices`",
    example: 3,
  })
  readonly index?: number;

  @ApiPropertyOptional({
    description: "A batch's entry: its id, when it has a well-formed one",
    example: 'inv-1003',
  })
  readonly id?: string;

  @ApiPropertyOptional({
    description:
      "The bad field: in a batch a path inside the entry, else a path from the body's root or a query parameter; absent when the problem is the whole entry or request",
    example: 'amount.value',
  })
  readonly field?: string;

  @ApiProperty({
    description:
      'VALIDATION_FAILED for a malformed field, else the domain code of a refused entry (CUSTOMER_NOT_FOUND, CURRENCY_MISMATCH, ALREADY_ISSUED...)',
    example: 'VALIDATION_FAILED',
  })
  readonly code!: string;

  @ApiProperty({
    description: 'What is wrong, for a person (the field is not repeated)',
    example: 'must be a decimal string such as "10.50", not a number',
  })
  readonly message!: string;
}
