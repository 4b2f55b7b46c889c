import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Exactly one of `by` (a delay as in the retry policy: "90m", "3d") or `to` (an instant). */
export class AdvanceTestClockDto {
  @ApiPropertyOptional({ example: '3d', description: 'a number and s, m, h or d; at most 366d' })
  @IsOptional()
  @MaxLength(20, { message: 'by must be a delay such as "3d" or "90m"' })
  @IsString({ message: 'by must be a delay such as "3d" or "90m"' })
  readonly by?: string;

  @ApiPropertyOptional({ example: '2026-12-10T09:00:00.000Z', description: 'ISO 8601 instant' })
  @IsOptional()
  @MaxLength(40, { message: 'to must be an ISO 8601 instant' })
  @IsString({ message: 'to must be an ISO 8601 instant' })
  readonly to?: string;
}
