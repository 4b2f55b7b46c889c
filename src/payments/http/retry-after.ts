/**
 * The wait a `Retry-After` header asks for (RFC 9110 §10.2.3), in ms from `nowMs`:
 * delta-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in
 * the past is 0; a missing or unreadable header is null (the caller picks its own wait).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only the date forms: Date.parse also reads "1" or "2015" as dates.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
