import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ProviderStatus } from '../../billing/engine/provider/provider-gate';

/** The payment provider as the answering instance sees it (docs/design.md §2.6). */
export class ProviderStatusDto {
  @ApiProperty({
    enum: ['available', 'unavailable', 'backing-off'],
    description:
      'unavailable: the circuit breaker is open, nothing new is sent, the run waits; backing-off: the provider asked to slow down (Retry-After)',
  })
  readonly state!: ProviderStatus['state'];

  @ApiPropertyOptional({ format: 'date-time', description: 'unavailable since' })
  readonly since?: string;

  @ApiPropertyOptional({ description: 'unavailable: one probe charge is in flight' })
  readonly probing?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'backing-off: nothing is sent before' })
  readonly until?: string;
}
