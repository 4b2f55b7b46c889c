import type { Money } from '../../shared/money';
import type { ChargeLookupResult } from '../../payment-provider/payment-provider.port';

/**
 * The wire contract between Antaeus and an HTTP payment provider (docs/payments.md).
 * The adapter (HttpPaymentProvider) and the simulator (src/provider-sim) both follow it.
 *
 * `POST /charges` with the attempt's key in the `Idempotency-Key` header and a
 * ChargeRequestBody answers:
 * - 200 `{ result: 'paid' }`: charged;
 * - 402 `{ result: 'declined' }`: balance too low, nothing charged;
 * - 404 `{ code: 'CUSTOMER_NOT_FOUND' }`, 422 `{ code: 'CURRENCY_MISMATCH' }`: refused;
 * - 503: the request was NOT processed (shed before any work), safe to retry;
 * - 429: NOT processed, the caller goes too fast; 429 and 503 may carry `Retry-After`
 *   (seconds or an HTTP date): nothing should be sent before then;
 * - 408: NOT processed (the provider gave up reading it);
 * - any other 4xx: a definite refusal (PROVIDER_REJECTED), nothing charged;
 * - any other 5xx, a dropped connection or no answer in time: it may have been processed.
 *
 * `GET /charges/{key}` (optional) answers 200 `{ idempotencyKey, result }` with what
 * happened to a key, `not_found` when it was never processed.
 */
export const CHARGES_PATH = '/charges';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Who is calling: the provider's ledger names the instance that made each charge. */
export const CLIENT_HEADER = 'x-antaeus-instance';

export interface ChargeRequestBody {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly amount: Money;
}

export const CHARGE_STATUS = {
  paid: 200,
  declined: 402,
  customerNotFound: 404,
  currencyMismatch: 422,
  notProcessed: 503,
  tooManyRequests: 429,
  requestTimeout: 408,
} as const;

export type ProviderErrorCode =
  | 'CUSTOMER_NOT_FOUND'
  | 'CURRENCY_MISMATCH'
  | 'UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'LOOKUP_NOT_SUPPORTED';

export type ChargeResponseBody =
  | { readonly result: 'paid' | 'declined' }
  | { readonly code: ProviderErrorCode; readonly message: string };

export interface LookupResponseBody {
  readonly idempotencyKey: string;
  readonly result: ChargeLookupResult;
}

export const LOOKUP_RESULTS: readonly ChargeLookupResult[] = [
  'paid',
  'declined',
  'customer_not_found',
  'currency_mismatch',
  'not_found',
];

export function chargePath(idempotencyKey: string): string {
  return `${CHARGES_PATH}/${encodeURIComponent(idempotencyKey)}`;
}
