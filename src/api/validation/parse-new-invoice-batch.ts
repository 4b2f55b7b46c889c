import type { MalformedInvoice } from '../../billing/commands/invoice-batch-rejected.error';
import type { Parsed } from './field-error';
import { BodyFields } from './body-fields';
import { parseNewInvoice, type NewInvoice } from './parse-new-invoice';

export const MAX_BATCH_INVOICES = 1000;

/** A batch body read entry by entry: the well-formed invoices and what is wrong with the rest. */
export interface ParsedBatch {
  readonly invoices: readonly NewInvoice[];
  /** The index in the body of each of `invoices`. */
  readonly indexes: readonly number[];
  /** Every error of the other entries, by index and field (a repeated id included). */
  readonly malformed: readonly MalformedInvoice[];
}

/**
 * `{ invoices: [...] }`: 1 to 1,000 new invoices with distinct ids. Fails (with every
 * error) only when the body itself is wrong; otherwise a malformed entry is listed in `malformed`, so that the batch's
 * answer can list it beside the refusals of the others (docs/api.md).
 */
export function parseNewInvoiceBatch(body: unknown): Parsed<ParsedBatch> {
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
  const invoices: NewInvoice[] = [];
  const indexes: number[] = [];
  const malformed: MalformedInvoice[] = [];
  const firstIndexOf = new Map<string, number>();
  list.forEach((entry, index) => {
    const parsed = parseNewInvoice(entry, `invoices[${index}]`);
    if (!parsed.ok) {
      malformed.push(...parsed.errors.map((error) => ({ index, ...error })));
      return;
    }
    const earlier = firstIndexOf.get(parsed.value.invoiceId);
    if (earlier !== undefined) {
      const message = `repeats invoices[${earlier}].id`;
      malformed.push({ index, field: `invoices[${index}].id`, message });
      return;
    }
    firstIndexOf.set(parsed.value.invoiceId, index);
    invoices.push(parsed.value);
    indexes.push(index);
  });
  // A wrong body (an unknown property beside `invoices`): every error, nothing decided.
  if (fields.errors.length > 0) return { ok: false, errors: [...fields.errors, ...malformed] };
  return { ok: true, value: { invoices, indexes, malformed } };
}
