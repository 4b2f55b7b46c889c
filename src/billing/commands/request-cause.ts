import { currentKeyedRequest } from '../../shared/keyed-request';
import type { EventMetadata } from '../store/event-metadata';

/**
 * The keyed API request a command serves, for its events' metadata: read when the
 * handler starts, so only the request's own writes carry it (docs/design.md §2.8).
 */
export function requestCause(): Pick<EventMetadata, 'requestId'> {
  const request = currentKeyedRequest();
  return request ? { requestId: request.requestId } : {};
}
