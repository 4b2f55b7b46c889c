import type { CustomerEvent } from './customer-events';
import type { CustomerState } from './customer-state';

/** A customer stream holds an event decideCustomer cannot have written. */
export class CustomerStreamCorruptError extends Error {
  override readonly name = 'CustomerStreamCorruptError';
  readonly code = 'CUSTOMER_STREAM_CORRUPT';

  constructor(
    readonly eventType: string,
    detail: string,
  ) {
    super(`customer stream is corrupt at ${eventType}: ${detail}`);
  }
}

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  if (state.exists) {
    throw new CustomerStreamCorruptError(event.type, 'the customer was already registered');
  }
  const { customerId, currency, name, email, registeredAt } = event.data;
  return { exists: true, customerId, currency, name, email, registeredAt };
}
