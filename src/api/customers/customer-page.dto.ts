import { ApiProperty } from '@nestjs/swagger';
import type { CustomerView } from '../read-models/customer-read-model.port';
import type { Page } from '../../shared/page';
import { CustomerDto } from './customer.dto';

export class CustomerPageDto {
  @ApiProperty({ type: [CustomerDto] })
  readonly items!: CustomerDto[];

  @ApiProperty({ example: 0 })
  readonly page!: number;

  @ApiProperty({ example: 50 })
  readonly size!: number;

  @ApiProperty({ example: 100 })
  readonly total!: number;

  static from(page: Page<CustomerView>): CustomerPageDto {
    return { ...page, items: page.items.map((view) => CustomerDto.from(view)) };
  }
}
