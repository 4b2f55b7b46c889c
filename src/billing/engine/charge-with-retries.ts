import type { ChargeOutcomeReport } from '../domain';
import type { ChargeRequest, PaymentProvider } from '../../payments/payment-provider.port';
import { classifyChargeError } from './classify-charge-error';
import type { StopSignal } from './stop-signal';

/**
 * How a claimed attempt's provider call ended: an outcome to record, or (idempotent
 * provider, ambiguous every time) nothing yet: the attempt stays open and the recovery
 * sweep re-drives it with the same key after the attempt timeout.
 */
export type ChargeResult =
  | { readonly kind: 'settled'; readonly report: ChargeOutcomeReport }
  | { readonly kind: 'unsettled'; readonly message: string };

export interface ChargeRetryPolicy {
  readonly transientRetries: number;
  readonly ambiguousRetries: number;
  readonly providerRetryDelayMs: (retry: number) => number;
}

/**
 * Calls the provider for one attempt, always with the attempt's own idempotency key.
 * Retries only what cannot charge twice: a request that never left, or an ambiguous one
 * on a provider that deduplicates by key. A non-idempotent ambiguous answer is UNKNOWN
 * at once and never retried: a person settles it.
 */
export async function chargeWithRetries(
  provider: PaymentProvider,
  request: ChargeRequest,
  policy: ChargeRetryPolicy,
  signal: StopSignal,
): Promise<ChargeResult> {
  let transient = 0;
  let ambiguous = 0;
  for (;;) {
    try {
      const paid = await provider.charge(request);
      return settled(
        paid
          ? { kind: 'paid' }
          : { kind: 'failed', reason: 'INSUFFICIENT_FUNDS', message: 'balance too low' },
      );
    } catch (error) {
      const failure = classifyChargeError(error);
      if (failure.kind === 'failed') {
        return settled({ kind: 'failed', reason: failure.reason, message: failure.message });
      }
      if (failure.kind === 'transient') {
        if (transient >= policy.transientRetries) {
          return settled({ kind: 'failed', reason: 'NETWORK', message: failure.message });
        }
        await signal.sleep(policy.providerRetryDelayMs(++transient));
        continue;
      }
      if (!provider.idempotent) return settled({ kind: 'unknown', message: failure.message });
      if (ambiguous >= policy.ambiguousRetries) {
        return { kind: 'unsettled', message: failure.message };
      }
      await signal.sleep(policy.providerRetryDelayMs(++ambiguous));
    }
  }
}

function settled(report: ChargeOutcomeReport): ChargeResult {
  return { kind: 'settled', report };
}
