import { ApiProperty } from '@nestjs/swagger';
import type { RecordedEvent } from '../../event-store/recorded-event';

/** One event of an invoice's stream: the audit trail. */
export class InvoiceEventDto {
  @ApiProperty({ example: '0', description: 'Stream revision (64-bit, decimal string)' })
  readonly revision!: string;

  @ApiProperty({ example: 'InvoiceIssued' })
  readonly type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'As stored' })
  readonly data!: RecordedEvent['data'];

  @ApiProperty({ format: 'date-time' })
  readonly createdAt!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'ops-oncall',
    description:
      'The name of the API key whose request wrote this event (requeue, resolve...); null for the engine, the scheduler and the CLI',
  })
  readonly apiKeyName!: string | null;

  static from(event: RecordedEvent): InvoiceEventDto {
    return {
      revision: event.revision.toString(),
      type: event.type,
      data: event.data,
      createdAt: event.createdAt.toISOString(),
      apiKeyName: typeof event.metadata.apiKeyName === 'string' ? event.metadata.apiKeyName : null,
    };
  }
}
