import { ApiProperty } from '@nestjs/swagger';
import type { InvoiceView, Page } from '../../../projections/read-models';
import { InvoiceDto } from './invoice.dto';

/** A page of invoices, ordered by invoice id. */
export class InvoicePageDto {
  @ApiProperty({ type: [InvoiceDto] })
  readonly items!: InvoiceDto[];

  @ApiProperty({ example: 0 })
  readonly page!: number;

  @ApiProperty({ example: 50 })
  readonly size!: number;

  @ApiProperty({ example: 1000, description: 'Matching invoices over all pages' })
  readonly total!: number;

  static from(page: Page<InvoiceView>): InvoicePageDto {
    return { ...page, items: page.items.map((view) => InvoiceDto.from(view)) };
  }
}
