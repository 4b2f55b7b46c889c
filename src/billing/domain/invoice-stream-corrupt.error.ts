/**
 * An invoice stream holds an event that cannot follow the ones before it (for example an
 * outcome for an attempt that was never made). decide never produces one, so the stream
 * was written by something else: stop and look rather than guess what it meant.
 */
export class InvoiceStreamCorruptError extends Error {
  override readonly name = 'InvoiceStreamCorruptError';
  readonly code = 'INVOICE_STREAM_CORRUPT';

  constructor(
    readonly eventType: string,
    detail: string,
  ) {
    super(`invoice stream is corrupt at ${eventType}: ${detail}`);
  }
}
