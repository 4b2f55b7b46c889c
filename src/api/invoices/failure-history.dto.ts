import { ApiProperty } from '@nestjs/swagger';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../billing/domain';
import type { FailureView, InvoiceView } from '../read-models/invoice-read-model.port';
import { FailureEntryDto } from './failure-entry.dto';

export class FailureHistoryDto {
  @ApiProperty({ example: '42' })
  readonly invoiceId!: string;

  @ApiProperty({ enum: INVOICE_STATUSES })
  readonly status!: InvoiceStatus;

  @ApiProperty({ type: [FailureEntryDto], description: 'Oldest first; empty when it never failed' })
  readonly failures!: FailureEntryDto[];

  static from(invoice: InvoiceView, failures: readonly FailureView[]): FailureHistoryDto {
    return {
      invoiceId: invoice.invoiceId,
      status: invoice.status,
      failures: failures.map((failure) => FailureEntryDto.from(failure)),
    };
  }
}
