/**
 * One key per attempt, `invoice-<id>-attempt-<n>`: an idempotent provider that sees the
 * same key twice charges once, so re-driving an attempt can never charge twice.
 */
export function idempotencyKey(invoiceId: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  }
  return `invoice-${invoiceId}-attempt-${attempt}`;
}

const KEY = /^invoice-(.+)-attempt-([1-9]\d*)$/;

/** The invoice and attempt a key names, or null when it is not an attempt key. */
export function parseIdempotencyKey(key: string): { invoiceId: string; attempt: number } | null {
  const match = KEY.exec(key);
  return match ? { invoiceId: match[1], attempt: Number(match[2]) } : null;
}
