import type { Invoice } from './invoice-state';

/**
 * Whether a run billing up to `billingDate` ("YYYY-MM-DD": the calendar date the run
 * started on, in the billing time zone) may charge the invoice: on or after its due
 * date; one without a due date is due at once. Calendar dates compare as strings.
 */
export function isDue(invoice: Pick<Invoice, 'dueDate'>, billingDate: string): boolean {
  return invoice.dueDate === null || invoice.dueDate <= billingDate;
}
