import type { Currency } from '../../shared/money';

export interface NoCustomer {
  readonly exists: false;
}

export interface Customer {
  readonly exists: true;
  readonly customerId: string;
  readonly currency: Currency;
  readonly name: string | null;
  readonly email: string | null;
  readonly registeredAt: string;
}

export type CustomerState = NoCustomer | Customer;

export const initialCustomerState: CustomerState = Object.freeze({ exists: false });
