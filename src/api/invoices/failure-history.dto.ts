import { ApiProperty } from '@nestjs/swagger';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../billing/domain';
import type { FailureView, InvoiceView } from '../read-models/invoice-read-model.port';
import { FailureDto } from './failure.dto';

export class FailureHistoryDto {
  @ApiProperty({ example: '42' })
  readonly invoiceId!: string;

  @ApiProperty({ enum: INVOICE_STATUSES })
  readonly status!: InvoiceStatus;

  @ApiProperty({ type: [FailureDto], description: 'Oldest first; empty when it never failed' })
  readonly failures!: FailureDto[];

  static from(invoice: InvoiceView, failures: readonly FailureView[]): FailureHistoryDto {
    return {
      invoiceId: invoice.invoiceId,
      status: invoice.status,
      failures: failures.map((failure) => FailureDto.from(failure)),
    };
  }
}
