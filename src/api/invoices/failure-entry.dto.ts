import { ApiProperty } from '@nestjs/swagger';
import type { RetryStep } from '../../billing/domain';
import type { FailureView } from '../read-models/invoice-read-model.port';
import { FailureDto } from './failure.dto';

/** A failed attempt in the history, with what the retry policy scheduled after it. */
export class FailureEntryDto extends FailureDto {
  @ApiProperty({ description: 'Which automatic retry the attempt was; 0: an ordinary attempt' })
  readonly retry!: number;

  @ApiProperty({
    nullable: true,
    description:
      'What was scheduled after it: {kind: "retry", retryNumber, at, policy} or ' +
      '{kind: "exhausted", retriesMade, policy}; null when nothing was (an UNKNOWN outcome)',
    example: { kind: 'retry', retryNumber: 1, at: '2026-12-06T10:00:00.000Z', policy: 'default' },
  })
  readonly then!: RetryStep | null;

  static override from(view: FailureView): FailureEntryDto {
    return { ...FailureDto.from(view), retry: view.retry, then: view.then };
  }
}
