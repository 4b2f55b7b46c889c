import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { START, type Position } from '../../event-store/position';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { ValidationError } from '../errors/validation.error';
import { CURSOR_RULE, parseCursor } from './event-cursor';
import { EventFeed } from './event-feed';
import { EventFeedQueryDto, EventStreamQueryDto } from './event-feed-query.dto';
import { EventPageDto } from './event-page.dto';

@ApiTags('events')
@Controller('rest/v1/events')
export class EventsController {
  constructor(private readonly feed: EventFeed) {}

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'A page of the whole event log, in global order, after a cursor' })
  @ApiOkResponse({ type: EventPageDto })
  @ApiErrorResponses(400)
  async list(@Query() query: EventFeedQueryDto): Promise<EventPageDto> {
    const after = query.after ?? null;
    const events = await this.feed.page(cursorOrStart(after), query.limit);
    return EventPageDto.from(events, after);
  }

  @Get('stream')
  @RequiresScope('read')
  @ApiOperation({
    summary:
      'The event log as Server-Sent Events: from the cursor (Last-Event-ID, else after, else the start), then live',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: `The id of the last event received (${CURSOR_RULE}): resumes after it; wins over after`,
  })
  @ApiOkResponse({ description: 'One message per event: id the cursor, data a FeedEventDto' })
  @ApiErrorResponses(400)
  async stream(
    @Query() query: EventStreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    let after = cursorOrStart(query.after ?? null);
    if (lastEventId !== undefined) {
      const resumed = parseCursor(lastEventId.trim());
      if (!resumed) throw new ValidationError(`Last-Event-ID must be ${CURSOR_RULE}`);
      after = resumed;
    }
    reply.hijack();
    await this.feed.stream(after, reply.raw);
  }
}

/** The query's cursor was checked by its DTO. */
function cursorOrStart(after: string | null): Position {
  return after === null ? START : (parseCursor(after) ?? START);
}
