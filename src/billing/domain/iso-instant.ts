/**
 * Timestamps travel as ISO-8601 strings with an explicit offset, so a replay on another
 * machine (or in another time zone) reads the same instant.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** Milliseconds from `from` to `to`; both must be ISO instants. */
export function millisBetween(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}
