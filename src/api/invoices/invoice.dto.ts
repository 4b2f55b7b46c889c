import { ApiProperty } from '@nestjs/swagger';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../billing/domain';
import type { InvoiceView } from '../read-models/invoice-read-model.port';
import { MoneyDto } from '../dto/money.dto';
import { FailureDto } from './failure.dto';

export class InvoiceDto {
  @ApiProperty({ example: '42', description: 'The original Antaeus field name' })
  readonly id!: string;

  @ApiProperty({ example: '42', description: 'The same as id' })
  readonly invoiceId!: string;

  @ApiProperty({ example: '7' })
  readonly customerId!: string;

  @ApiProperty({ type: MoneyDto })
  readonly amount!: MoneyDto;

  @ApiProperty({ enum: INVOICE_STATUSES })
  readonly status!: InvoiceStatus;

  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    example: '2026-12-31',
    description: 'No billing run charges the invoice before this date; null: due at once',
  })
  readonly dueDate!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'December plan' })
  readonly description!: string | null;

  @ApiProperty({ description: 'Charge attempts made so far' })
  readonly attempts!: number;

  @ApiProperty({ type: FailureDto, nullable: true })
  readonly lastFailure!: FailureDto | null;

  @ApiProperty({ format: 'date-time', nullable: true, description: 'Set while PROCESSING' })
  readonly processingSince!: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    description: 'When the scheduled automatic retry falls due; null when none is',
  })
  readonly nextRetryAt!: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Automatic retries still to come, the scheduled one included; 0 when exhausted; null when the invoice is not in dunning',
  })
  readonly retriesLeft!: number | null;

  @ApiProperty({ description: 'FAILED with no automatic retry left: it needs a person' })
  readonly retriesExhausted!: boolean;

  @ApiProperty({
    example: '3',
    description: 'Revision of the invoice stream this row reflects (64-bit, decimal string)',
  })
  readonly revision!: string;

  @ApiProperty({ format: 'date-time' })
  readonly issuedAt!: string;

  @ApiProperty({ format: 'date-time' })
  readonly updatedAt!: string;

  static from(view: InvoiceView): InvoiceDto {
    return {
      id: view.invoiceId,
      invoiceId: view.invoiceId,
      customerId: view.customerId,
      amount: { value: view.amount.value, currency: view.amount.currency },
      status: view.status,
      dueDate: view.dueDate,
      description: view.description,
      attempts: view.attempts,
      lastFailure: view.lastFailure ? FailureDto.from(view.lastFailure) : null,
      processingSince: view.processingSince,
      nextRetryAt: view.nextRetryAt,
      retriesLeft: view.retriesLeft,
      retriesExhausted: view.retriesExhausted,
      revision: view.revision.toString(),
      issuedAt: view.issuedAt,
      updatedAt: view.updatedAt,
    };
  }
}
