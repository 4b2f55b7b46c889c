/** A billing-run stream that decide could not have written: stop and look. */
export class BillingRunStreamCorruptError extends Error {
  override readonly name = 'BillingRunStreamCorruptError';
  readonly code = 'BILLING_RUN_STREAM_CORRUPT';

  constructor(eventType: string, detail: string) {
    super(`billing-run stream is corrupt at ${eventType}: ${detail}`);
  }
}
