import type { Decision, DomainError } from './decision';
import type { CustomerEvent } from './customer-events';

/** Every reason decideCustomer refuses a command. */
export const CUSTOMER_ERROR_CODES = [
  'INVALID_COMMAND',
  /** The customer id is registered with other facts (the message names the fields). */
  'CUSTOMER_CONFLICT',
] as const;

export type CustomerErrorCode = (typeof CUSTOMER_ERROR_CODES)[number];
export type CustomerError = DomainError<CustomerErrorCode>;
export type CustomerDecision = Decision<CustomerEvent, CustomerErrorCode>;
