import { ApiProperty } from '@nestjs/swagger';
import type { BillingRunView } from '../read-models/billing-run-read-model.port';
import type { Page } from '../../shared/page';
import { BillingRunDto } from './billing-run.dto';

/** A page of billing runs, newest first. */
export class BillingRunPageDto {
  @ApiProperty({ type: [BillingRunDto] })
  readonly items!: BillingRunDto[];

  @ApiProperty({ example: 0 })
  readonly page!: number;

  @ApiProperty({ example: 50 })
  readonly size!: number;

  @ApiProperty({ example: 12 })
  readonly total!: number;

  static from(page: Page<BillingRunView>): BillingRunPageDto {
    return { ...page, items: page.items.map((view) => BillingRunDto.from(view)) };
  }
}
