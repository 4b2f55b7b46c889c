import { ApiProperty } from '@nestjs/swagger';
import { INVOICE_STATUSES, type Invoice, type InvoiceStatus } from '../../billing/domain';
import type { CreateResult } from '../../billing/commands/create-result';
import { MoneyDto } from '../dto/money.dto';
import { PositionDto } from '../dto/position.dto';

/** An invoice as issued (201), or as it already was for the same body (200). */
export class InvoiceCreatedDto {
  @ApiProperty({ example: 'inv-2026-0001' })
  readonly id!: string;

  @ApiProperty({ example: 'inv-2026-0001', description: 'The same as id' })
  readonly invoiceId!: string;

  @ApiProperty({ example: 'acme-42' })
  readonly customerId!: string;

  @ApiProperty({ type: MoneyDto })
  readonly amount!: MoneyDto;

  @ApiProperty({ enum: INVOICE_STATUSES })
  readonly status!: InvoiceStatus;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  readonly dueDate!: string | null;

  @ApiProperty({ type: String, nullable: true })
  readonly description!: string | null;

  @ApiProperty({ format: 'date-time' })
  readonly issuedAt!: string;

  @ApiProperty({ example: '0', description: 'Stream revision (64-bit, decimal string)' })
  readonly revision!: string;

  @ApiProperty({ type: PositionDto })
  readonly position!: PositionDto;

  static from({ state, revision, position }: CreateResult<Invoice>): InvoiceCreatedDto {
    return {
      id: state.invoiceId,
      invoiceId: state.invoiceId,
      customerId: state.customerId,
      amount: { value: state.amount.value, currency: state.amount.currency },
      status: state.status,
      dueDate: state.dueDate,
      description: state.description,
      issuedAt: state.issuedAt,
      revision: revision.toString(),
      position: PositionDto.from(position),
    };
  }
}

export class InvoiceBatchCreatedDto {
  @ApiProperty({ description: 'How many of the invoices this request issued (the rest existed)' })
  readonly created!: number;

  @ApiProperty({ type: [InvoiceCreatedDto], description: 'In the order of the request' })
  readonly invoices!: InvoiceCreatedDto[];
}
