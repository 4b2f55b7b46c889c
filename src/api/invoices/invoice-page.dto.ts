import { ApiProperty } from '@nestjs/swagger';
import type { InvoicePage } from '../read-models/invoice-read-model.port';
import { InvoiceDto } from './invoice.dto';

/** A page of invoices, ordered by invoice id. */
export class InvoicePageDto {
  @ApiProperty({ type: [InvoiceDto] })
  readonly items!: InvoiceDto[];

  @ApiProperty({
    example: 0,
    type: 'integer',
    nullable: true,
    description: 'The page number asked for; null when the page was asked for with `after`',
  })
  readonly page!: number | null;

  @ApiProperty({ example: 50 })
  readonly size!: number;

  @ApiProperty({ example: 1000, description: 'Matching invoices over all pages' })
  readonly total!: number;

  @ApiProperty({
    type: String,
    example: '4761',
    nullable: true,
    description:
      'Cursor of the following page: pass it as `after`. The last item’s id; null on the last page',
  })
  readonly next!: string | null;

  static from(page: InvoicePage): InvoicePageDto {
    return { ...page, items: page.items.map((view) => InvoiceDto.from(view)) };
  }
}
