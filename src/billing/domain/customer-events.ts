import type { Currency } from '../../shared/money';

/*
 * Events of the customer stream `customer-<id>`. A customer is registered once, with
 * `no_stream`; the id is the client's, so a repeated registration is the same fact.
 */

export type CustomerRegistered = {
  readonly type: 'CustomerRegistered';
  readonly data: {
    readonly customerId: string;
    /** Every invoice of the customer is in this currency. */
    readonly currency: Currency;
    readonly name: string | null;
    readonly email: string | null;
    readonly instanceId: string;
    readonly registeredAt: string;
  };
};

export type CustomerEvent = CustomerRegistered;
export type CustomerEventType = CustomerEvent['type'];

export const CUSTOMER_EVENT_TYPES: readonly CustomerEventType[] = ['CustomerRegistered'];

export function isCustomerEventType(type: string): type is CustomerEventType {
  return (CUSTOMER_EVENT_TYPES as readonly string[]).includes(type);
}
