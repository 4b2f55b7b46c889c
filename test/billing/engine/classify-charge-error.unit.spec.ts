import { classifyChargeError } from '../../../src/billing/engine/classify-charge-error';
import { CurrencyMismatchError } from '../../../src/payment-provider/errors/currency-mismatch.error';
import { CustomerNotFoundError } from '../../../src/payment-provider/errors/customer-not-found.error';
import { NetworkError } from '../../../src/payment-provider/errors/network.error';
import { ProviderRejectedError } from '../../../src/payment-provider/errors/provider-rejected.error';

describe('classifyChargeError (docs/design.md §4.2)', () => {
  it('a missing customer or a currency mismatch is a definite, permanent failure', () => {
    expect(classifyChargeError(new CustomerNotFoundError('c', 'i'))).toMatchObject({
      kind: 'failed',
      reason: 'CUSTOMER_NOT_FOUND',
    });
    expect(classifyChargeError(new CurrencyMismatchError('i', 'c', 'EUR'))).toMatchObject({
      kind: 'failed',
      reason: 'CURRENCY_MISMATCH',
    });
  });

  it('a network error before the request left is transient (safe to retry)', () => {
    expect(classifyChargeError(new NetworkError(false, 'refused'))).toEqual({
      kind: 'transient',
      message: 'refused',
      throttled: false,
      retryAfterMs: null,
    });
  });

  it('a 429 is transient and throttled; the Retry-After comes along', () => {
    expect(
      classifyChargeError(new NetworkError(false, '429', { throttled: true, retryAfterMs: 1_000 })),
    ).toEqual({ kind: 'transient', message: '429', throttled: true, retryAfterMs: 1_000 });
  });

  it('a rejection the protocol does not name is a definite PROVIDER_REJECTED', () => {
    expect(classifyChargeError(new ProviderRejectedError(400, 'bad request'))).toEqual({
      kind: 'failed',
      reason: 'PROVIDER_REJECTED',
      message: 'bad request',
    });
  });

  it('a network error after the request may have left is ambiguous', () => {
    expect(classifyChargeError(new NetworkError(true, 'timeout')).kind).toBe('ambiguous');
  });

  it('anything unrecognised is ambiguous: assuming "not charged" could charge twice', () => {
    expect(classifyChargeError(new Error('socket hang up')).kind).toBe('ambiguous');
    expect(classifyChargeError(undefined).kind).toBe('ambiguous');
    // A NetworkError that does not say where it failed is not assumed safe.
    expect(classifyChargeError({ code: 'NETWORK_ERROR', message: 'x' }).kind).toBe('ambiguous');
  });
});
