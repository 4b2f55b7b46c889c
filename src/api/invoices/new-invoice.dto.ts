import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MoneyDto } from '../dto/money.dto';

/** The body of POST /rest/v1/invoices (checked by parseNewInvoice; this documents it). */
export class NewInvoiceDto {
  @ApiProperty({
    example: 'inv-2026-0001',
    description: 'Chosen by the client; the create is idempotent',
  })
  readonly id!: string;

  @ApiProperty({ example: 'acme-42', description: 'A registered customer' })
  readonly customerId!: string;

  @ApiProperty({
    type: MoneyDto,
    description:
      "value: a positive decimal string, at most 2 fraction digits, at most 999999999.99; currency: the customer's",
  })
  readonly amount!: MoneyDto;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-31' })
  readonly dueDate?: string;

  @ApiPropertyOptional({ maxLength: 1000, example: 'December subscription' })
  readonly description?: string;
}

/** The body of POST /rest/v1/invoices/batch. */
export class NewInvoiceBatchDto {
  @ApiProperty({ type: [NewInvoiceDto], minItems: 1, maxItems: 1000 })
  readonly invoices!: NewInvoiceDto[];
}
