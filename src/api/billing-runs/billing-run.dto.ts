import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ProviderStatus } from '../../billing/engine/provider/provider-gate';
import type { BillingRunView } from '../read-models/billing-run-read-model.port';
import { MoneyDto } from '../dto/money.dto';
import { BillingRunCountsDto } from './billing-run-counts.dto';
import { ProviderStatusDto } from './provider-status.dto';

export class BillingRunDto {
  @ApiProperty({ example: '2026-11', description: 'The period for a scheduled run' })
  readonly runId!: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-11' })
  readonly period!: string | null;

  @ApiProperty({ enum: ['scheduled', 'manual', 'retry'] })
  readonly trigger!: BillingRunView['trigger'];

  @ApiProperty({ enum: ['RUNNING', 'COMPLETED'] })
  readonly status!: BillingRunView['status'];

  @ApiProperty({ format: 'date-time' })
  readonly startedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true })
  readonly completedAt!: string | null;

  @ApiProperty({ type: BillingRunCountsDto })
  readonly counts!: BillingRunCountsDto;

  @ApiPropertyOptional({
    type: ProviderStatusDto,
    description:
      'While the run is RUNNING: the payment provider as the answering instance sees it (e.g. unavailable since when, the run waiting for it)',
  })
  readonly provider?: ProviderStatusDto;

  @ApiProperty({
    type: [MoneyDto],
    description:
      "What the run's paid attempts took, per currency; for a retry run, what its retries recovered",
  })
  readonly collected!: MoneyDto[];

  static from(view: BillingRunView, provider: ProviderStatus | null = null): BillingRunDto {
    const { processing, paid, failed, unknown } = view.counts;
    return {
      runId: view.runId,
      period: view.period,
      trigger: view.trigger,
      status: view.status,
      startedAt: view.startedAt,
      completedAt: view.completedAt,
      counts: { processing, paid, failed, unknown },
      collected: view.collected.map(({ value, currency }) => ({ value, currency })),
      ...(provider && view.status === 'RUNNING' ? { provider } : {}),
    };
  }
}
