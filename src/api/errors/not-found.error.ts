/** A read found nothing under the id asked for; the filter answers 404 with this code. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';

  constructor(
    readonly code: 'INVOICE_NOT_FOUND' | 'CUSTOMER_NOT_FOUND' | 'BILLING_RUN_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}
