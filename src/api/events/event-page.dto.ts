import { ApiProperty } from '@nestjs/swagger';
import type { RecordedEvent } from '../../event-store/recorded-event';
import { formatCursor } from './event-cursor';
import { FeedEventDto } from './feed-event.dto';

/** A page of the global log, in global order. */
export class EventPageDto {
  @ApiProperty({ type: [FeedEventDto] })
  readonly items!: FeedEventDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: '7421/1093',
    description:
      "The `after` of the next request: the last item's cursor, or the `after` given when the page is empty (null at the start of an empty log). Poll with it to follow the log",
  })
  readonly next!: string | null;

  static from(events: readonly RecordedEvent[], after: string | null): EventPageDto {
    const last = events.at(-1);
    return {
      items: events.map((event) => FeedEventDto.from(event)),
      next: last ? formatCursor(last.position) : after,
    };
  }
}
