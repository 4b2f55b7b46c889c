import { ApiProperty } from '@nestjs/swagger';
import { CHARGE_FAILURE_REASONS, UNKNOWN_OUTCOME_REASONS } from '../../billing/domain';
import type { FailureView, InvoiceView } from '../read-models/invoice-read-model.port';

/** One failed (or unknown-outcome) charge attempt. */
export class FailureDto {
  @ApiProperty({ example: 1, description: '1-based attempt number' })
  readonly attempt!: number;

  @ApiProperty({ enum: [...CHARGE_FAILURE_REASONS, ...UNKNOWN_OUTCOME_REASONS] })
  readonly reason!: FailureView['reason'];

  @ApiProperty({ example: 'balance too low' })
  readonly message!: string;

  @ApiProperty({ description: 'Whether a new attempt may be made automatically' })
  readonly retryable!: boolean;

  @ApiProperty({ format: 'date-time' })
  readonly failedAt!: string;

  static from(view: NonNullable<InvoiceView['lastFailure']> | FailureView): FailureDto {
    const { attempt, reason, message, retryable, failedAt } = view;
    return { attempt, reason, message, retryable, failedAt };
  }
}
