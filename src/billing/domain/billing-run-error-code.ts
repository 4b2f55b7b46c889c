/** Every reason decideBillingRun refuses a command. */
export const BILLING_RUN_ERROR_CODES = [
  'INVALID_COMMAND',
  /** Another instance (or an earlier start) already started this run. */
  'RUN_ALREADY_STARTED',
  'RUN_NOT_FOUND',
  'RUN_ALREADY_COMPLETED',
] as const;
export type BillingRunErrorCode = (typeof BILLING_RUN_ERROR_CODES)[number];
