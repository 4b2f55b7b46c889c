import type { Money } from '../shared/money';
import type { CurrencyMismatchError } from './errors/currency-mismatch.error';
import type { CustomerNotFoundError } from './errors/customer-not-found.error';
import type { NetworkError } from './errors/network.error';
import type { ProviderRejectedError } from './errors/provider-rejected.error';

/** Nest injection token for the configured payment provider. */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

export interface ChargeRequest {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly amount: Money;
  /** One key per attempt, `invoice-<id>-attempt-<n>` (see billing/domain/idempotency-key.ts). */
  readonly idempotencyKey: string;
}

/**
 * What the provider knows about an idempotency key. `not_found` means the request was
 * never processed: retrying it with the same key cannot charge twice.
 */
export type ChargeLookupResult =
  'paid' | 'declined' | 'customer_not_found' | 'currency_mismatch' | 'not_found';

/** The errors `charge` may throw; an adapter maps anything else to a NetworkError. */
export type PaymentProviderError =
  CustomerNotFoundError | CurrencyMismatchError | ProviderRejectedError | NetworkError;
export type PaymentErrorCode = PaymentProviderError['code'];

/**
 * The original Antaeus provider contract plus idempotency. It belongs to neither side:
 * billing/ calls it, payments/ implements it (and provider-sim/ serves it over HTTP).
 *
 * `charge` resolves `true` when the invoice was paid and `false` when the customer's
 * balance was too low. It throws CustomerNotFoundError, CurrencyMismatchError,
 * ProviderRejectedError or NetworkError; a NetworkError's `mayHaveReachedProvider` tells
 * a safe retry apart from an ambiguous outcome.
 */
export interface PaymentProvider {
  /**
   * True when the provider deduplicates by idempotency key: the same key always gets the
   * first result and never charges twice, so an ambiguous attempt may be retried as is.
   */
  readonly idempotent: boolean;

  charge(request: ChargeRequest): Promise<boolean>;

  /** Optional: what happened to a key, for settling an ambiguous attempt. */
  lookup?(idempotencyKey: string): Promise<ChargeLookupResult>;

  /**
   * Optional, with `lookup`: how long after a request ARRIVED the provider may still
   * process it (its declared processing deadline), plus the adapter's own request timeout,
   * since a request arrives, if at all, before its sender gives up. Past that since the
   * last send, `not_found` is final (docs/design.md §2.7).
   */
  readonly notFoundFinalAfterMs?: number;
}
