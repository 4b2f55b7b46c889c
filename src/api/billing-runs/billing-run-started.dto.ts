import { ApiProperty } from '@nestjs/swagger';
import type { StartBillingRunResult } from '../../billing/commands/start-billing-run.command';
import { PositionDto } from '../dto/position.dto';

export class BillingRunStartedDto {
  @ApiProperty({ example: 'manual-20261122-0a1b2c' })
  readonly runId!: string;

  @ApiProperty({ description: 'False when this run had already been started' })
  readonly started!: boolean;

  @ApiProperty({
    type: PositionDto,
    nullable: true,
    description: 'Global log position of BillingStarted; null when nothing was written',
  })
  readonly position!: PositionDto | null;

  static from(result: StartBillingRunResult): BillingRunStartedDto {
    return {
      runId: result.runId,
      started: result.started,
      position: result.position ? PositionDto.from(result.position) : null,
    };
  }
}
