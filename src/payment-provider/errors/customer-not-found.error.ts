/** The provider has no such customer: permanent, settled by manual reconciliation. */
export class CustomerNotFoundError extends Error {
  override readonly name = 'CustomerNotFoundError';
  readonly code = 'CUSTOMER_NOT_FOUND';

  constructor(
    readonly customerId: string,
    readonly invoiceId: string,
  ) {
    super(`Customer ${customerId} of invoice ${invoiceId} is not known to the payment provider`);
  }
}
