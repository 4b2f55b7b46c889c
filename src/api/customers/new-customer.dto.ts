import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CURRENCIES, type Currency } from '../../billing/domain';

/** The body of POST /rest/v1/customers (checked by parseNewCustomer; this documents it). */
export class NewCustomerDto {
  @ApiProperty({
    example: 'acme-42',
    description: 'Chosen by the client; the create is idempotent',
  })
  readonly id!: string;

  @ApiProperty({ enum: CURRENCIES, description: 'Every invoice of the customer is in it' })
  readonly currency!: Currency;

  @ApiPropertyOptional({ maxLength: 200, example: 'Acme Ltd' })
  readonly name?: string;

  @ApiPropertyOptional({ maxLength: 254, example: 'billing@acme.example' })
  readonly email?: string;
}
