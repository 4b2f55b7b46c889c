import type { InvoiceErrorCode } from '../domain';

export interface BatchRejection {
  /** Where the invoice is in the batch. */
  readonly index: number;
  readonly invoiceId: string;
  readonly code: InvoiceErrorCode;
  readonly message: string;
}

/** An entry of the batch its caller could not read: the field and what is wrong with it. */
export interface MalformedInvoice {
  readonly index: number;
  /** The path inside the entry (`amount.value`); absent when the entry itself is wrong. */
  readonly field?: string;
  /** The entry's id, when it has a well-formed one. */
  readonly invoiceId?: string;
  readonly message: string;
}

/** One problem of a refused batch: an entry's malformed field or its refusal. */
export type BatchProblem =
  | ({ readonly kind: 'malformed' } & MalformedInvoice)
  | ({ readonly kind: 'refused' } & BatchRejection);

/**
 * Some entries of a batch were malformed or refused, so none was written; every one is
 * listed, in index order: a malformed entry by its fields, a refused one by its code.
 */
export class InvoiceBatchRejectedError extends Error {
  override readonly name = 'InvoiceBatchRejectedError';
  readonly code = 'INVALID_BATCH';
  /** Every problem, in index order (an entry's fields in the order they were found). */
  readonly problems: readonly BatchProblem[];

  constructor(
    readonly rejections: readonly BatchRejection[],
    readonly malformed: readonly MalformedInvoice[] = [],
  ) {
    const problems = listBatchProblems(rejections, malformed);
    const invalid = new Set(problems.map((each) => each.index)).size;
    super(
      `${invalid} invoice(s) of the batch refused, none written: ` +
        problems.map(describeBatchProblem).join('; '),
    );
    this.problems = problems;
  }
}

/** The malformed entries and the refusals as one list in index order. */
export function listBatchProblems(
  rejections: readonly BatchRejection[],
  malformed: readonly MalformedInvoice[],
): BatchProblem[] {
  return [
    ...malformed.map((each) => ({ kind: 'malformed' as const, ...each })),
    ...rejections.map((each) => ({ kind: 'refused' as const, ...each })),
  ].sort((a, b) => a.index - b.index);
}

/** `invoices[i].field: …` for a malformed entry, `invoices[i] (id): CODE: …` for a refusal. */
export function describeBatchProblem(problem: BatchProblem): string {
  if (problem.kind === 'refused') {
    const entry = batchEntryPath(problem.index);
    return `${entry} (${problem.invoiceId}): ${problem.code}: ${problem.message}`;
  }
  return `${batchEntryPath(problem.index, problem.field)}: ${problem.message}`;
}

/** An entry's path from the request body's root: `invoices[3]`, `invoices[3].amount.value`. */
export function batchEntryPath(index: number, field?: string): string {
  return field === undefined ? `invoices[${index}]` : `invoices[${index}].${field}`;
}
