import type { FieldError, Parsed } from './field-error';
import { BodyFields } from './body-fields';
import { parseNewInvoice, type NewInvoice } from './parse-new-invoice';

export const MAX_BATCH_INVOICES = 1000;

/** `{ invoices: [...] }`: 1 to 1,000 new invoices with distinct ids; every error, by index. */
export function parseNewInvoiceBatch(body: unknown): Parsed<NewInvoice[]> {
  const fields = new BodyFields(body, '', ['invoices']);
  const list = fields.raw('invoices');
  if (!Array.isArray(list)) {
    fields.fail('invoices', fields.has('invoices') ? 'must be an array' : 'is required');
    return { ok: false, errors: fields.errors };
  }
  if (list.length < 1 || list.length > MAX_BATCH_INVOICES) {
    fields.fail('invoices', `must hold 1 to ${MAX_BATCH_INVOICES} invoices, got ${list.length}`);
    return { ok: false, errors: fields.errors };
  }
  const errors: FieldError[] = [...fields.errors];
  const invoices: NewInvoice[] = [];
  const firstIndexOf = new Map<string, number>();
  list.forEach((entry, index) => {
    const parsed = parseNewInvoice(entry, `invoices[${index}]`);
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      return;
    }
    const earlier = firstIndexOf.get(parsed.value.invoiceId);
    if (earlier !== undefined) {
      errors.push({ field: `invoices[${index}].id`, message: `repeats invoices[${earlier}].id` });
      return;
    }
    firstIndexOf.set(parsed.value.invoiceId, index);
    invoices.push(parsed.value);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: invoices };
}
