import type { Currency } from '../../shared/money';

export type RegisterCustomer = {
  readonly type: 'RegisterCustomer';
  readonly customerId: string;
  readonly currency: Currency;
  readonly name: string | null;
  readonly email: string | null;
};

export type CustomerCommand = RegisterCustomer;
