import type { Page, PageRequest } from '../read-models';

/** Checks a page request; the REST layer validates first, this guards every other caller. */
export function pageBounds(request: PageRequest): { limit: number; offset: number } {
  const { page, size } = request;
  if (!Number.isInteger(page) || page < 0)
    throw new RangeError(`page must be an integer >= 0, got ${page}`);
  if (!Number.isInteger(size) || size < 1 || size > 500)
    throw new RangeError(`size must be an integer from 1 to 500, got ${size}`);
  return { limit: size, offset: page * size };
}

export function toPage<T>(request: PageRequest, items: readonly T[], total: number): Page<T> {
  return { items, page: request.page, size: request.size, total };
}

/** A timestamptz as the ISO string the views carry. */
export function isoOf(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
