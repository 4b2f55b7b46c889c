import { StreamCorruptError } from './stream-corrupt.error';
import type { CustomerEvent } from './customer-events';
import type { CustomerState } from './customer-state';

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  if (state.exists) {
    throw new StreamCorruptError('customer', event.type, 'the customer was already registered');
  }
  const { customerId, currency, name, email, registeredAt } = event.data;
  return { exists: true, customerId, currency, name, email, registeredAt };
}
