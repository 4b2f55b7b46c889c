import { ApiProperty } from '@nestjs/swagger';
import type { Position } from '../../event-store/position';

/** A place in the global log. Like every 64-bit number of the API, a decimal string. */
export class PositionDto {
  @ApiProperty({ example: '7421', description: '64-bit, as a decimal string' })
  readonly commit!: string;

  @ApiProperty({ example: '1093', description: '64-bit, as a decimal string' })
  readonly prepare!: string;

  static from(position: Position): PositionDto {
    return { commit: position.commit.toString(), prepare: position.prepare.toString() };
  }
}
