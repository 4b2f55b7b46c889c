/**
 * Ids become part of stream names (`invoice-<id>`) and idempotency keys, so they are
 * restricted to characters that survive every store, URL and log line unchanged.
 */
const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function isEntityId(value: unknown): value is string {
  return typeof value === 'string' && ENTITY_ID.test(value);
}

export function describeEntityIdRule(): string {
  return 'letters, digits, "_", ".", ":" or "-", starting with a letter or digit, at most 128 characters';
}
