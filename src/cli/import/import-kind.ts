/** What a file imports: each kind maps a CSV header's columns to the REST body's fields. */
export type ImportKind = 'customers' | 'invoices';

export const IMPORT_KINDS: readonly ImportKind[] = ['customers', 'invoices'];

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

/** The CSV columns of each kind, in the order the docs show them; the optional ones may be absent. */
export const CSV_COLUMNS: Record<ImportKind, { required: string[]; optional: string[] }> = {
  customers: { required: ['id', 'currency'], optional: ['name', 'email'] },
  invoices: {
    required: ['id', 'customerId', 'amount', 'currency'],
    optional: ['dueDate', 'description'],
  },
};

/**
 * A CSV record as the body the REST route takes: empty cells are absent fields; an
 * invoice's `amount` and `currency` cells become `amount: { value, currency }`.
 */
export function csvRecordToBody(
  kind: ImportKind,
  record: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [column, cell] of record) if (cell !== '') body[column] = cell;
  if (kind === 'invoices') {
    const { amount, currency, ...rest } = body;
    const money: Record<string, unknown> = {};
    if (amount !== undefined) money.value = amount;
    if (currency !== undefined) money.currency = currency;
    return { ...rest, amount: money };
  }
  return body;
}
