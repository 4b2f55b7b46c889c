import type { EventData as EsdbEventData, ResolvedEvent } from '@eventstore/db-client';
import { jsonEvent } from '@eventstore/db-client';
import type { EventData, JsonObject } from '../event-data';
import type { Position } from '../position';
import type { RecordedEvent } from '../recorded-event';

/**
 * What a server sends as the `$all` position of an event it has none for (Position.End,
 * both halves 2^64 - 1): servers before 22.6 on every stream read and subscription, any
 * server for an event written in an explicit transaction.
 */
const NO_ALL_POSITION = 2n ** 64n - 1n;

/** An event as read, with its `$all` position when the server gave one. */
export type ReadEvent = Omit<RecordedEvent, 'position'> & { readonly position: Position | null };

/** Our event as an EventStoreDB JSON event, with our id (the key of idempotent retries). */
export function toEsdbEvent(event: EventData): EsdbEventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    ...(event.metadata ? { metadata: event.metadata as Record<string, unknown> } : {}),
  });
}

/**
 * An event read from EventStoreDB in the port's shape. The port promises every event
 * its global position (read-your-writes waits on them), so an event read without one
 * is refused, naming the server version that gives it.
 */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent {
  return withAllPosition(toReadEvent(resolved));
}

/** A read event as the port's RecordedEvent; refused when it came without a position. */
export function withAllPosition(event: ReadEvent): RecordedEvent {
  if (event.position === null) {
    throw new Error(
      `EventStoreDB gave no $all position for event ${event.id} (revision ${event.revision} of ` +
        `"${event.stream}"). Servers before 22.6 leave it out of stream reads: Antaeus needs ` +
        'EventStoreDB 22.6 or later, because it waits for projections to reach the positions it reads.',
    );
  }
  return { ...event, position: event.position };
}

/**
 * An event read from EventStoreDB, its position null when the server gave none. Links
 * are not resolved, so a read gives the event itself. Antaeus writes only JSON objects;
 * anything else in a stream it reads is somebody else's event and is refused loudly,
 * never skipped.
 */
export function toReadEvent(resolved: ResolvedEvent): ReadEvent {
  const event = resolved.event;
  if (!event) throw new Error('EventStoreDB returned a read result without an event');
  if (!event.isJson || !isJsonObject(event.data)) {
    throw new Error(
      `event ${event.id} (revision ${event.revision} of "${event.streamId}") is not a JSON object event`,
    );
  }
  const position = event.position;
  return {
    id: event.id,
    stream: event.streamId,
    revision: event.revision,
    position:
      position && position.commit !== NO_ALL_POSITION && position.prepare !== NO_ALL_POSITION
        ? { commit: position.commit, prepare: position.prepare }
        : null,
    type: event.type,
    data: event.data,
    metadata: isJsonObject(event.metadata) ? event.metadata : {},
    createdAt: event.created,
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}
