import type { JsonObject } from '../../event-store/event-data';

/**
 * Who wrote an event and why, stored as event metadata for the audit trail (docs/design.md §2.4):
 * the instance, the run the work belongs to, and what caused it (a command, or the id
 * of the event it answers, e.g. the ChargeAttempted an outcome ends).
 */
export interface EventMetadata {
  readonly instanceId: string;
  readonly runId: string | null;
  /** What made this write: `engine`, `sweep`, `api`, `scheduler`... */
  readonly causation: string;
  /** The event this one follows from, when there is one. */
  readonly causationId: string | null;
  /**
   * Names one write request: a retry of the same request carries the same id, another
   * writer's request another one. Event ids are named by their facts, so without it two
   * writers deciding the same fact at the same instant would write identical events,
   * and the second would pass for a retry of the first (both would think they claimed).
   */
  readonly writeId?: string;
}

export function toJsonMetadata(metadata: EventMetadata): JsonObject {
  return {
    instanceId: metadata.instanceId,
    runId: metadata.runId,
    causation: metadata.causation,
    causationId: metadata.causationId,
    ...(metadata.writeId === undefined ? {} : { writeId: metadata.writeId }),
  };
}
