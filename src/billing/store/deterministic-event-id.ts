import { hash } from 'node:crypto';

/**
 * A UUID named by the fact it records (RFC 9562 version 8, from SHA-256): the same
 * parts always give the same id. Re-appending a fact after a lost connection is then an
 * idempotent success, and two writers recording the same fact differently collide on
 * the id instead of both being stored.
 */
export function deterministicEventId(...parts: readonly string[]): string {
  // The one-shot hash: about half the cost of createHash per id (docs/benchmarks.md, Import).
  const bytes = hash('sha256', parts.join('\u001f'), 'buffer').subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
