import { ApiProperty } from '@nestjs/swagger';
import { CURRENCIES, type Currency } from '../../billing/domain';
import type { CustomerView } from '../read-models/customer-read-model.port';

export class CustomerDto {
  @ApiProperty({ example: '7' })
  readonly customerId!: string;

  @ApiProperty({ enum: CURRENCIES })
  readonly currency!: Currency;

  @ApiProperty({ description: 'Invoices issued to the customer' })
  readonly invoices!: number;

  static from(view: CustomerView): CustomerDto {
    return { customerId: view.customerId, currency: view.currency, invoices: view.invoices };
  }
}
