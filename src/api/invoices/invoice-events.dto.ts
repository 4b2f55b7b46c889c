import { ApiProperty } from '@nestjs/swagger';
import type { RecordedEvent } from '../../event-store/recorded-event';
import { InvoiceEventDto } from './invoice-event.dto';

export class InvoiceEventsDto {
  @ApiProperty({ example: '42' })
  readonly invoiceId!: string;

  @ApiProperty({ type: [InvoiceEventDto], description: 'Oldest first' })
  readonly events!: InvoiceEventDto[];

  static from(invoiceId: string, events: readonly RecordedEvent[]): InvoiceEventsDto {
    return { invoiceId, events: events.map((event) => InvoiceEventDto.from(event)) };
  }
}
