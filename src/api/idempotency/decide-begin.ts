import type { IdempotencyRecord, StoredResponse } from './idempotency-record';

export type BeginDecision =
  /** Past its 24 h: treated as absent (deleted, then the key is taken anew). */
  | { readonly kind: 'expired' }
  /** The key was used with another request: 422 IDEMPOTENCY_KEY_REUSED. */
  | { readonly kind: 'reused' }
  /** Done: the first answer again, and nothing else. */
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  /** Running under a live lease: 409 IDEMPOTENCY_KEY_IN_USE. */
  | { readonly kind: 'in-use' }
  /** In progress but its owner's lease ended (it crashed, or failed retryably): run it again. */
  | { readonly kind: 'take-over' };

/** What a request with this key and fingerprint does, given the key's stored row. */
export function decideBegin(
  record: IdempotencyRecord,
  fingerprint: string,
  now: Date,
): BeginDecision {
  if (record.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
  if (record.fingerprint !== fingerprint) return { kind: 'reused' };
  if (record.state === 'completed') {
    if (!record.response) throw new Error(`idempotency key ${record.requestId} has no answer`);
    return { kind: 'replay', response: record.response };
  }
  const leaseAlive = record.lockedUntil !== null && record.lockedUntil.getTime() > now.getTime();
  return leaseAlive ? { kind: 'in-use' } : { kind: 'take-over' };
}
