import { ApiProperty } from '@nestjs/swagger';
import type { AdvanceTestClockResult } from '../../billing/commands/advance-test-clock.command';

export class TestClockRetryRunDto {
  @ApiProperty({ example: 'billing-run-retry-20261206T090000Z' })
  readonly runId!: string;

  @ApiProperty({ description: 'false when another instance (or an earlier move) started it' })
  readonly started!: boolean;
}

/** The test clock after a move, and the retry run the move made due. */
export class TestClockDto {
  @ApiProperty({ example: '2026-12-06T09:00:00.000Z' })
  readonly now!: string;

  @ApiProperty({ description: 'how far ahead of real time the clock is, in milliseconds' })
  readonly aheadMs!: number;

  @ApiProperty({ type: TestClockRetryRunDto, nullable: true })
  readonly retryRun!: TestClockRetryRunDto | null;

  static from(result: AdvanceTestClockResult): TestClockDto {
    return {
      now: result.now.toISOString(),
      aheadMs: result.aheadMs,
      retryRun: result.retryRun
        ? { runId: result.retryRun.runId, started: result.retryRun.started }
        : null,
    };
  }
}
