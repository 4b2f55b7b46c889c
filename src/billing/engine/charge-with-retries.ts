import type { ChargeOutcomeReport } from '../domain';
import type { ChargeRequest, PaymentProvider } from '../../payment-provider/payment-provider.port';
import { classifyChargeError } from './classify-charge-error';
import type { StopSignal } from '../../shared/stop-signal';

/**
 * How a claimed attempt's provider call ended: an outcome to record, or (idempotent
 * provider, ambiguous every time) nothing yet: the attempt stays open and the recovery
 * sweep re-drives it with the same key after the attempt timeout.
 */
export type ChargeResult =
  | { readonly kind: 'settled'; readonly report: ChargeOutcomeReport }
  | { readonly kind: 'unsettled'; readonly message: string };

/** The caller's hold on one of the provider-call slots (BILLING_CONCURRENCY). */
export interface ChargeSlot {
  release(): void;
  acquire(): Promise<void>;
}

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
 *
 * With a `slot`, the slot is given back while backing off (nothing is in flight at the
 * provider then, and other charges may use it) and taken again before the retry: a
 * back-off never idles a slot.
 */
export async function chargeWithRetries(
  provider: PaymentProvider,
  request: ChargeRequest,
  policy: ChargeRetryPolicy,
  signal: StopSignal,
  slot?: ChargeSlot,
): Promise<ChargeResult> {
  const backOff = async (ms: number): Promise<void> => {
    slot?.release();
    try {
      await signal.sleep(ms);
    } finally {
      await slot?.acquire();
    }
  };
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
        await backOff(policy.providerRetryDelayMs(++transient));
        continue;
      }
      if (!provider.idempotent) return settled({ kind: 'unknown', message: failure.message });
      if (ambiguous >= policy.ambiguousRetries) {
        return { kind: 'unsettled', message: failure.message };
      }
      await backOff(policy.providerRetryDelayMs(++ambiguous));
    }
  }
}

function settled(report: ChargeOutcomeReport): ChargeResult {
  return { kind: 'settled', report };
}
