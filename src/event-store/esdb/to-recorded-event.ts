import type { EventData as EsdbEventData, ResolvedEvent } from '@eventstore/db-client';
import { jsonEvent } from '@eventstore/db-client';
import type { EventData, JsonObject } from '../event-data';
import type { RecordedEvent } from '../recorded-event';

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
 * An event read from EventStoreDB in the port's shape. Links are not resolved, so a
 * read gives the event itself. Antaeus writes only JSON objects; anything else in a
 * stream it reads is somebody else's event and is refused loudly, never skipped.
 */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new Error('EventStoreDB returned a read result without an event');
  if (!event.isJson || !isJsonObject(event.data)) {
    throw new Error(
      `event ${event.id} (revision ${event.revision} of "${event.streamId}") is not a JSON object event`,
    );
  }
  if (!event.position) {
    throw new Error(`event ${event.id} of "${event.streamId}" came without a position`);
  }
  return {
    id: event.id,
    stream: event.streamId,
    revision: event.revision,
    position: { commit: event.position.commit, prepare: event.position.prepare },
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
