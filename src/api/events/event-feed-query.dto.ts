import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { toInteger } from '../dto/page-query.dto';
import { CURSOR_RULE, parseCursor } from './event-cursor';

export const MAX_FEED_LIMIT = 1000;

/** `?after=<commit>/<prepare>`: events after a cursor (from the start without one). */
export class EventStreamQueryDto {
  @ApiPropertyOptional({
    example: '7421/1093',
    description: `Only events after this cursor (${CURSOR_RULE}); from the start of the log without it`,
  })
  @IsOptional()
  @ValidateBy(
    {
      name: 'isCursor',
      validator: { validate: (value) => typeof value === 'string' && parseCursor(value) !== null },
    },
    { message: `after must be ${CURSOR_RULE}` },
  )
  readonly after?: string;
}

/** `?after=<commit>/<prepare>&limit=100`: a page of the events after a cursor. */
export class EventFeedQueryDto extends EventStreamQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_FEED_LIMIT, default: 100 })
  @Transform(toInteger)
  @Min(1, { message: `limit must be between 1 and ${MAX_FEED_LIMIT}` })
  @Max(MAX_FEED_LIMIT, { message: `limit must be between 1 and ${MAX_FEED_LIMIT}` })
  @IsInt({ message: `limit must be a whole number between 1 and ${MAX_FEED_LIMIT}` })
  readonly limit: number = 100;
}
