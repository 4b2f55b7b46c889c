import type { JsonObject } from '../../event-store/event-data';

/**
 * Who wrote an event and why, stored as event metadata for the audit trail (DESIGN §2.4):
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
}

export function toJsonMetadata(metadata: EventMetadata): JsonObject {
  return {
    instanceId: metadata.instanceId,
    runId: metadata.runId,
    causation: metadata.causation,
    causationId: metadata.causationId,
  };
}
