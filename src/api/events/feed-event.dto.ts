import { ApiProperty } from '@nestjs/swagger';
import type { JsonObject } from '../../event-store/event-data';
import type { RecordedEvent } from '../../event-store/recorded-event';
import { PositionDto } from '../dto/position.dto';
import { formatCursor } from './event-cursor';

/**
 * The metadata fields the feed publishes (docs/design.md §3.4); anything else a writer
 * might store is left out, so nothing but these ever leaves through the feed.
 */
const PUBLISHED_METADATA = [
  'instanceId',
  'runId',
  'causation',
  'causationId',
  'writeId',
  'requestId',
  'apiKeyName',
] as const;

/** One event of the global log, as the feed serves it. */
export class FeedEventDto {
  @ApiProperty({
    example: '7421/1093',
    description: 'Where it is in the global log: the `after` (and SSE id) that resumes after it',
  })
  readonly cursor!: string;

  @ApiProperty({ type: PositionDto })
  readonly position!: PositionDto;

  @ApiProperty({ example: 'InvoicePaid' })
  readonly type!: string;

  @ApiProperty({ example: 'invoice-4711' })
  readonly stream!: string;

  @ApiProperty({ example: '2', description: 'Revision in its stream (64-bit, decimal string)' })
  readonly revision!: string;

  @ApiProperty({ example: 'e0b7c3a2-…', description: 'The event id (a UUID)' })
  readonly id!: string;

  @ApiProperty({ format: 'date-time', description: 'When it was stored' })
  readonly time!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'As stored' })
  readonly data!: JsonObject;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: `Who wrote it and why: ${PUBLISHED_METADATA.join(', ')} (those present)`,
  })
  readonly metadata!: JsonObject;

  static from(event: RecordedEvent): FeedEventDto {
    return {
      cursor: formatCursor(event.position),
      position: PositionDto.from(event.position),
      type: event.type,
      stream: event.stream,
      revision: event.revision.toString(),
      id: event.id,
      time: event.createdAt.toISOString(),
      data: event.data,
      metadata: published(event.metadata),
    };
  }
}

function published(metadata: JsonObject): JsonObject {
  return Object.fromEntries(
    PUBLISHED_METADATA.filter((field) => metadata[field] !== undefined).map((field) => [
      field,
      metadata[field],
    ]),
  );
}
