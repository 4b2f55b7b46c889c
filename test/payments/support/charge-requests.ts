import type { Money } from '../../../src/shared/money';
import { idempotencyKey } from '../../../src/billing/domain/idempotency-key';
import type { ChargeRequest } from '../../../src/payment-provider/payment-provider.port';
import type { SimulatedPaymentProvider } from '../../../src/payments/simulated/simulated-payment-provider';

const AMOUNT: Money = { value: '12.50', currency: 'EUR' };

export function chargeRequest(invoice: number | string, attempt = 1): ChargeRequest {
  const invoiceId = String(invoice);
  return {
    invoiceId,
    customerId: `customer-${invoiceId}`,
    amount: AMOUNT,
    idempotencyKey: idempotencyKey(invoiceId, attempt),
  };
}

export function chargeRequests(count: number, attempt = 1): ChargeRequest[] {
  return Array.from({ length: count }, (_, i) => chargeRequest(i + 1, attempt));
}

/** What the caller saw: `true`, `false`, or the thrown error's code. */
export async function answerOf(
  provider: SimulatedPaymentProvider,
  request: ChargeRequest,
): Promise<boolean | string> {
  try {
    return await provider.charge(request);
  } catch (error) {
    return (error as { code: string }).code;
  }
}

/** Lets pending promise callbacks run; not a sleep, no time passes. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
