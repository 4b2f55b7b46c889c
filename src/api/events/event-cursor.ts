import { formatPosition, type Position } from '../../event-store/position';

/** The largest position part the stores can be asked about (PostgreSQL's bigint). */
const MAX_PART = 2n ** 63n - 1n;
const CURSOR = /^(\d{1,19})\/(\d{1,19})$/;

export const CURSOR_RULE = 'a position of the log, <commit>/<prepare> (e.g. 7421/1093)';

/**
 * A place in the global log as the feed's `after`, `next` and SSE ids write it:
 * `<commit>/<prepare>`. Null when `text` is not one.
 */
export function parseCursor(text: string): Position | null {
  const match = CURSOR.exec(text);
  if (!match) return null;
  const commit = BigInt(match[1]);
  const prepare = BigInt(match[2]);
  if (commit > MAX_PART || prepare > MAX_PART) return null;
  return { commit, prepare };
}

export function formatCursor(position: Position): string {
  return formatPosition(position);
}
