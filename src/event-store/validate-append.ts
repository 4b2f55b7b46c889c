import type { EventData } from './event-data';
import { InvalidAppendError } from './errors/invalid-append.error';
import type { ExpectedRevision } from './expected-revision';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects, before any I/O, what no store could accept. Every backend calls it. */
export function validateAppend(
  stream: string,
  events: readonly EventData[],
  expected: ExpectedRevision,
): void {
  if (stream.length === 0) throw new InvalidAppendError('stream name must not be empty');
  if (events.length === 0) throw new InvalidAppendError(`append to "${stream}" has no events`);
  if (typeof expected === 'bigint' && expected < 0n) {
    throw new InvalidAppendError(`expected revision must be >= 0, got ${expected}`);
  }
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) {
      throw new InvalidAppendError(`event id must be a UUID, got ${JSON.stringify(event.id)}`);
    }
    if (ids.has(event.id.toLowerCase())) {
      throw new InvalidAppendError(
        `event id ${event.id} appears twice in one append to "${stream}"`,
      );
    }
    ids.add(event.id.toLowerCase());
    if (!event.type) throw new InvalidAppendError(`event ${event.id} has no type`);
  }
}
