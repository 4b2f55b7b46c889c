import { currentKeyedRequest } from '../../shared/keyed-request';
import type { EventMetadata, WriteCause } from '../store/event-metadata';

/**
 * The keyed API request a command serves, for its events' metadata: read when the
 * handler starts, so only the request's own writes carry it (docs/design.md §2.8).
 */
export function requestCause(): Pick<EventMetadata, 'requestId'> {
  const request = currentKeyedRequest();
  return request ? { requestId: request.requestId } : {};
}

/** The cause of a write a client asked for: who (invariant 9) and which keyed request. */
export function clientCause(causation: string, apiKeyName: string | null): WriteCause {
  return {
    runId: null,
    causation,
    causationId: null,
    ...(apiKeyName === null ? {} : { apiKeyName }),
    ...requestCause(),
  };
}
