import { formatPosition } from '../src/event-store/position';
import type { RecordedEvent } from '../src/event-store/recorded-event';

/**
 * An event a projection cannot apply (a stream decide could not have written). The
 * projector stops at it, loudly, and retries: skipping it would make the read model
 * silently differ from the log.
 */
export class ProjectionEventError extends Error {
  override readonly name = 'ProjectionEventError';

  constructor(projection: string, event: RecordedEvent, cause: unknown) {
    super(
      `projection ${projection} cannot apply ${event.type} at ${event.stream}@${event.revision} ` +
        `(position ${formatPosition(event.position)}): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}
