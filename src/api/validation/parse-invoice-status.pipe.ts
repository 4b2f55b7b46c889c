import { Injectable, type PipeTransform } from '@nestjs/common';
import { INVOICE_STATUSES, isInvoiceStatus, type InvoiceStatus } from '../../billing/domain';
import { ValidationError } from '../errors/validation.error';

/** `paid`, `Paid` and `PAID` all mean PAID. */
@Injectable()
export class ParseInvoiceStatusPipe implements PipeTransform<unknown, InvoiceStatus> {
  transform(value: unknown): InvoiceStatus {
    const status = typeof value === 'string' ? value.toUpperCase() : value;
    if (!isInvoiceStatus(status)) {
      throw new ValidationError(
        `status must be one of ${INVOICE_STATUSES.join(', ')} (in any case)`,
      );
    }
    return status;
  }
}
