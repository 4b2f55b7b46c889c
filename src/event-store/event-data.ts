import { randomUUID } from 'node:crypto';

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type JsonObject = { readonly [key: string]: JsonValue };

/**
 * An event on its way into a stream. The id is the writer's: re-appending the same ids
 * at the same place after a lost connection is an idempotent success.
 */
export interface EventData<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: JsonObject;
}

export function newEvent<Type extends string, Data extends JsonObject>(
  type: Type,
  data: Data,
  metadata?: JsonObject,
): EventData<Type, Data> {
  return { id: randomUUID(), type, data, ...(metadata ? { metadata } : {}) };
}
