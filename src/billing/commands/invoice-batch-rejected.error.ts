import type { InvoiceErrorCode } from '../domain';

export interface BatchRejection {
  /** Where the invoice is in the batch. */
  readonly index: number;
  readonly invoiceId: string;
  readonly code: InvoiceErrorCode;
  readonly message: string;
}

/** An entry of the batch its caller could not read: the field (a JSON path) and what. */
export interface MalformedInvoice {
  readonly index: number;
  readonly field: string;
  readonly message: string;
}

/**
 * Some entries of a batch were malformed or refused, so none was written; every one is
 * listed, in index order: a malformed entry by its fields, a refused one by its code.
 */
export class InvoiceBatchRejectedError extends Error {
  override readonly name = 'InvoiceBatchRejectedError';
  readonly code = 'INVALID_BATCH';

  constructor(
    readonly rejections: readonly BatchRejection[],
    readonly malformed: readonly MalformedInvoice[] = [],
  ) {
    const listed = [
      ...malformed.map((each) => ({ index: each.index, text: `${each.field}: ${each.message}` })),
      ...rejections.map((each) => ({
        index: each.index,
        text: `invoices[${each.index}] (${each.invoiceId}): ${each.code}: ${each.message}`,
      })),
    ].sort((a, b) => a.index - b.index);
    const invalid = new Set(listed.map((each) => each.index)).size;
    super(
      `${invalid} invoice(s) of the batch refused, none written: ` +
        listed.map((each) => each.text).join('; '),
    );
  }
}
