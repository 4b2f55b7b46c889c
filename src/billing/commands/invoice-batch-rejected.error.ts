import type { InvoiceErrorCode } from '../domain';

export interface BatchRejection {
  /** Where the invoice is in the batch. */
  readonly index: number;
  readonly invoiceId: string;
  readonly code: InvoiceErrorCode;
  readonly message: string;
}

/** Some invoices of a batch were refused, so none was written; every refusal is listed. */
export class InvoiceBatchRejectedError extends Error {
  override readonly name = 'InvoiceBatchRejectedError';
  readonly code = 'INVALID_BATCH';

  constructor(readonly rejections: readonly BatchRejection[]) {
    super(
      `${rejections.length} invoice(s) of the batch refused, none written: ` +
        rejections
          .map(
            (each) => `invoices[${each.index}] (${each.invoiceId}): ${each.code}: ${each.message}`,
          )
          .join('; '),
    );
  }
}
