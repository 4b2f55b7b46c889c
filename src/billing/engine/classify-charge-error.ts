import type { ChargeFailureReason } from '../domain';

/**
 * What a thrown provider error means (docs/design.md §4.2):
 * - `failed`: a definite refusal, nothing was charged (permanent: a person reconciles);
 * - `transient`: the request never left (NetworkError, mayHaveReachedProvider false):
 *   retrying with the same key cannot charge twice;
 * - `ambiguous`: it may have been processed. Anything unrecognised is ambiguous too:
 *   assuming "not charged" is the one guess that could charge twice.
 */
export type ChargeErrorClass =
  | { readonly kind: 'failed'; readonly reason: ChargeFailureReason; readonly message: string }
  | { readonly kind: 'transient'; readonly message: string }
  | { readonly kind: 'ambiguous'; readonly message: string };

// Matched on `code`, not on classes: an adapter loaded from another copy of the module
// still gets the right answer.
export function classifyChargeError(error: unknown): ChargeErrorClass {
  const { code, message, mayHaveReachedProvider } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    mayHaveReachedProvider?: unknown;
  };
  const text = typeof message === 'string' ? message : String(error);
  if (code === 'CUSTOMER_NOT_FOUND') {
    return { kind: 'failed', reason: 'CUSTOMER_NOT_FOUND', message: text };
  }
  if (code === 'CURRENCY_MISMATCH') {
    return { kind: 'failed', reason: 'CURRENCY_MISMATCH', message: text };
  }
  if (code === 'NETWORK_ERROR' && mayHaveReachedProvider === false) {
    return { kind: 'transient', message: text };
  }
  return { kind: 'ambiguous', message: text };
}
