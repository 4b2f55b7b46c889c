import { ApiProperty } from '@nestjs/swagger';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../billing/domain';
import type { InvoiceCommandResult } from '../../billing/commands/invoice-command-result';
import { PositionDto } from '../dto/position.dto';

/**
 * What a write produced. A client that wants to read its own write waits until
 * GET /rest/v1/invoices/{id} shows this revision (or a later one).
 */
export class InvoiceWrittenDto {
  @ApiProperty({ example: '42' })
  readonly invoiceId!: string;

  @ApiProperty({ enum: INVOICE_STATUSES })
  readonly status!: InvoiceStatus;

  @ApiProperty({ example: '5', description: 'Stream revision written (64-bit, decimal string)' })
  readonly revision!: string;

  @ApiProperty({ type: PositionDto, description: 'Global log position of the write' })
  readonly position!: PositionDto;

  static from(result: InvoiceCommandResult): InvoiceWrittenDto {
    return {
      invoiceId: result.invoiceId,
      status: result.status,
      revision: result.revision.toString(),
      position: PositionDto.from(result.position),
    };
  }
}
