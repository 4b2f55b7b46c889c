import { ApiProperty } from '@nestjs/swagger';
import { CURRENCIES, type Currency } from '../../billing/domain';
import type { CustomerView } from '../read-models/customer-read-model.port';

export class CustomerDto {
  @ApiProperty({ example: '7', description: 'The original Antaeus field name' })
  readonly id!: string;

  @ApiProperty({ example: '7', description: 'The same as id' })
  readonly customerId!: string;

  @ApiProperty({ enum: CURRENCIES })
  readonly currency!: Currency;

  @ApiProperty({ description: 'Invoices issued to the customer' })
  readonly invoices!: number;

  @ApiProperty({ type: String, nullable: true, example: 'Acme Ltd', description: 'As registered' })
  readonly name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'billing@acme.example' })
  readonly email!: string | null;

  static from(view: CustomerView): CustomerDto {
    return {
      id: view.customerId,
      customerId: view.customerId,
      currency: view.currency,
      invoices: view.invoices,
      name: view.name,
      email: view.email,
    };
  }
}
