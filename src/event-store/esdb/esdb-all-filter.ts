import {
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type Filter,
} from '@eventstore/db-client';
import type { AllFilter } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';

/**
 * The server can filter `$all` on one thing only (stream name or event type), and
 * the client's readAll cannot filter at all. So the server gets the most selective
 * filter it can take, and `acceptsEvent` decides exactly, on the client.
 */
export function toServerFilter(filter: AllFilter | undefined): Filter {
  if (filter?.eventTypes?.length) {
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  }
  if (filter?.streamPrefixes?.length)
    return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  return excludeSystemEvents();
}

/**
 * System events (`$`-prefixed types, or anything in a `$`-prefixed stream: users,
 * settings, statistics, projection links) are never ours. An empty list matches
 * nothing, as on the other backends.
 */
export function allFilterPredicate(
  filter: AllFilter | undefined,
): (event: Pick<RecordedEvent, 'stream' | 'type'>) => boolean {
  const types = filter?.eventTypes ? new Set(filter.eventTypes) : undefined;
  const prefixes = filter?.streamPrefixes;
  return (event) =>
    !isSystemEvent(event) &&
    (!types || types.has(event.type)) &&
    (!prefixes || prefixes.some((prefix) => event.stream.startsWith(prefix)));
}

export function isSystemEvent(event: { readonly stream: string; readonly type: string }): boolean {
  return event.stream.startsWith('$') || event.type.startsWith('$');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
