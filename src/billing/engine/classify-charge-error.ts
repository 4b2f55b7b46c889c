import type { ChargeFailureReason } from '../domain';

/**
 * What a thrown provider error means (docs/design.md §4.2):
 * - `failed`: a definite refusal, nothing was charged (permanent: a person reconciles);
 * - `transient`: the request never left or was not processed (refused connection, 503,
 *   429, NetworkError with mayHaveReachedProvider false): sending it again with the same
 *   key cannot charge twice. `throttled` (429) says the caller went too fast (the
 *   provider is healthy); `retryAfterMs` is the wait the provider asked for, if any;
 * - `ambiguous`: it may have been processed. Anything unrecognised is ambiguous too:
 *   assuming "not charged" is the one guess that could charge twice.
 */
export type ChargeErrorClass =
  | { readonly kind: 'failed'; readonly reason: ChargeFailureReason; readonly message: string }
  | {
      readonly kind: 'transient';
      readonly message: string;
      readonly throttled: boolean;
      readonly retryAfterMs: number | null;
    }
  | { readonly kind: 'ambiguous'; readonly message: string };

const DEFINITE: Readonly<Record<string, ChargeFailureReason>> = {
  CUSTOMER_NOT_FOUND: 'CUSTOMER_NOT_FOUND',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  PROVIDER_REJECTED: 'PROVIDER_REJECTED',
};

// Matched on `code`, not on classes: an adapter loaded from another copy of the module
// still gets the right answer.
export function classifyChargeError(error: unknown): ChargeErrorClass {
  const { code, message, mayHaveReachedProvider, throttled, retryAfterMs } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    mayHaveReachedProvider?: unknown;
    throttled?: unknown;
    retryAfterMs?: unknown;
  };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code === 'string' && Object.hasOwn(DEFINITE, code)) {
    return { kind: 'failed', reason: DEFINITE[code], message: text };
  }
  if (code === 'NETWORK_ERROR' && mayHaveReachedProvider === false) {
    return {
      kind: 'transient',
      message: text,
      throttled: throttled === true,
      retryAfterMs:
        typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
          ? retryAfterMs
          : null,
    };
  }
  return { kind: 'ambiguous', message: text };
}
