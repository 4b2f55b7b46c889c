import type { Page, PageRequest } from '../../src/shared/page';

/** Checks a page request; the REST layer validates first, this guards every other caller. */
export function pageBounds(request: PageRequest): { limit: number; offset: number } {
  const { page, size } = request;
  if (!Number.isInteger(page) || page < 0)
    throw new RangeError(`page must be an integer >= 0, got ${page}`);
  return { limit: checkedSize(size), offset: page * size };
}

/** A page size of 1..500, or a RangeError. */
export function checkedSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > 500)
    throw new RangeError(`size must be an integer from 1 to 500, got ${size}`);
  return size;
}

export function toPage<T>(request: PageRequest, items: readonly T[], total: number): Page<T> {
  return { items, page: request.page, size: request.size, total };
}

/**
 * Splits rows read with `LIMIT size + 1` into the page and its `next` cursor: the extra
 * row only says that a following page exists (no count needed), and the cursor is the
 * page's last key, so the following page is everything after it.
 */
export function withNextCursor<T>(
  rows: readonly T[],
  size: number,
  keyOf: (row: T) => string,
): { items: T[]; next: string | null } {
  const items = rows.slice(0, size);
  return { items, next: rows.length > size ? keyOf(items[size - 1]) : null };
}

/**
 * A timestamptz column selected as the ISO string the views carry (UTC, milliseconds,
 * like Date#toISOString, truncated as `pg` truncates), formatted by the server, so a page
 * does not parse every timestamp into a Date only to print it back to text.
 */
export function isoColumn(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
}

/** A timestamptz as the ISO string the views carry. */
export function isoOf(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
