import type { EventData, JsonValue } from '../event-data';
import type { RecordedEvent } from '../recorded-event';

/** Whether a stored event is the proposed one: same id, type, data and metadata. */
export function sameEvent(
  stored: Pick<RecordedEvent, 'id' | 'type' | 'data' | 'metadata'>,
  proposed: EventData,
): boolean {
  return (
    stored.id.toLowerCase() === proposed.id.toLowerCase() &&
    stored.type === proposed.type &&
    sameJson(stored.data, proposed.data) &&
    sameJson(stored.metadata, proposed.metadata ?? {})
  );
}

/** Structural JSON equality; object key order does not matter (as with jsonb). */
export function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item: JsonValue, index: number) => sameJson(item, b[index] as JsonValue));
  }
  const objectA = a as { readonly [key: string]: JsonValue };
  const objectB = b as { readonly [key: string]: JsonValue };
  const keys = Object.keys(objectA);
  if (keys.length !== Object.keys(objectB).length) return false;
  return keys.every((key) => Object.hasOwn(objectB, key) && sameJson(objectA[key], objectB[key]));
}
