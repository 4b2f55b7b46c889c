import { randomUUID } from 'node:crypto';
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
  /**
   * The keyed API request (Idempotency-Key) this write serves: the id its key's record
   * gives it, not the client's key, so a key reused after its 24 h names another request.
   * A re-run of the request after a crash finds its own events by it and answers from
   * them instead of acting again (docs/design.md §2.8).
   */
  readonly requestId?: string;
  /** The name (never the secret) of the API key that made this write, if any. */
  readonly apiKeyName?: string;
}

/** What a write request says about itself; the builder adds the instance and write id. */
export type WriteCause = Omit<EventMetadata, 'instanceId' | 'writeId'>;

/**
 * The one place event metadata is built: one call per write request, reused when that
 * same append is retried (a new decision is a new request, with a new write id). A
 * writer whose whole request is idempotent by nature (the seed) names it instead.
 */
export function eventMetadata(
  instanceId: string,
  cause: WriteCause,
  writeId: string = randomUUID(),
): EventMetadata {
  return { ...cause, instanceId, writeId };
}

const jsonForms = new WeakMap<EventMetadata, JsonObject>();

/**
 * The stored form of `metadata`, built once per metadata object: the events of one write
 * share it (the PostgreSQL store sends a write's metadata once, however many events).
 */
export function toJsonMetadata(metadata: EventMetadata): JsonObject {
  let json = jsonForms.get(metadata);
  if (json === undefined) {
    json = Object.freeze({
      instanceId: metadata.instanceId,
      runId: metadata.runId,
      causation: metadata.causation,
      causationId: metadata.causationId,
      ...(metadata.writeId === undefined ? {} : { writeId: metadata.writeId }),
      ...(metadata.requestId === undefined ? {} : { requestId: metadata.requestId }),
      ...(metadata.apiKeyName === undefined ? {} : { apiKeyName: metadata.apiKeyName }),
    });
    jsonForms.set(metadata, json);
  }
  return json;
}

/** The keyed request a stored event's metadata names, if any. */
export function requestIdOf(metadata: JsonObject): string | undefined {
  const requestId = metadata.requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}
