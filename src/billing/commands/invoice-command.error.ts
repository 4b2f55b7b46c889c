import type { InvoiceErrorCode } from '../domain';

/**
 * A command the domain refused (decide returned ok: false). The REST layer's one
 * exception filter maps the code: INVOICE_NOT_FOUND to 404, INVALID_COMMAND to 400,
 * the rest to 409.
 */
export class InvoiceCommandError extends Error {
  override readonly name = 'InvoiceCommandError';

  constructor(
    readonly code: InvoiceErrorCode,
    message: string,
  ) {
    super(message);
  }
}
