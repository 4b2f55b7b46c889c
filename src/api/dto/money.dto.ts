import { ApiProperty } from '@nestjs/swagger';
import { CURRENCIES, type Currency } from '../../billing/domain';

/** Money is a decimal string, never a float. */
export class MoneyDto {
  @ApiProperty({ example: '123.45', description: 'Decimal string, two fraction digits' })
  readonly value!: string;

  @ApiProperty({ enum: CURRENCIES, example: 'EUR' })
  readonly currency!: Currency;
}
