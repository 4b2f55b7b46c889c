import {
  batchEntryPath,
  type MalformedInvoice,
} from '../../billing/commands/invoice-batch-rejected.error';
import { isEntityId } from '../../billing/domain';
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
    const path = batchEntryPath(index);
    const parsed = parseNewInvoice(entry, path);
    if (!parsed.ok) {
      const invoiceId = wellFormedIdOf(entry);
      for (const error of parsed.errors) {
        const field = insideEntry(error.field, path);
        malformed.push({
          index,
          ...(field === undefined ? {} : { field }),
          ...(invoiceId === undefined ? {} : { invoiceId }),
          message: error.message,
        });
      }
      return;
    }
    const { invoiceId } = parsed.value;
    const earlier = firstIndexOf.get(invoiceId);
    if (earlier !== undefined) {
      const message = `repeats ${batchEntryPath(earlier, 'id')}`;
      malformed.push({ index, field: 'id', invoiceId, message });
      return;
    }
    firstIndexOf.set(invoiceId, index);
    invoices.push(parsed.value);
    indexes.push(index);
  });
  // A wrong body (an unknown property beside `invoices`): every error, nothing decided.
  if (fields.errors.length > 0) {
    const entries = malformed.map(({ index, field, message }) => ({
      field: batchEntryPath(index, field),
      message,
    }));
    return { ok: false, errors: [...fields.errors, ...entries] };
  }
  return { ok: true, value: { invoices, indexes, malformed } };
}

/** `invoices[3].amount.value` inside `invoices[3]` is `amount.value`; the entry itself, none. */
function insideEntry(field: string, entryPath: string): string | undefined {
  return field.startsWith(`${entryPath}.`) ? field.slice(entryPath.length + 1) : undefined;
}

/** The entry's `id` when it is a well-formed id (the entry may still be malformed). */
function wellFormedIdOf(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const id = (entry as Record<string, unknown>).id;
  return isEntityId(id) ? id : undefined;
}
