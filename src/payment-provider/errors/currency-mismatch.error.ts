import type { Currency } from '../../shared/money';

/** The invoice's currency is not the customer's: permanent, settled manually. */
export class CurrencyMismatchError extends Error {
  override readonly name = 'CurrencyMismatchError';
  readonly code = 'CURRENCY_MISMATCH';

  constructor(
    readonly invoiceId: string,
    readonly customerId: string,
    readonly currency: Currency,
  ) {
    super(
      `Invoice ${invoiceId} is in ${currency}, which does not match the currency of customer ${customerId}`,
    );
  }
}
