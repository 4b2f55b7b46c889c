import {
  InvoiceBatchRejectedError,
  describeBatchProblem,
  listBatchProblems,
} from '../../../src/billing/commands/invoice-batch-rejected.error';
import { parseNewInvoiceBatch } from '../../../src/api/validation/parse-new-invoice-batch';

/** A refused batch's problems, one list in index order (docs/api.md, batches). */
describe('the problems of a refused batch', () => {
  const refusal = {
    index: 2,
    invoiceId: 'inv-2',
    code: 'CUSTOMER_NOT_FOUND' as const,
    message: 'customer nobody is not registered',
  };

  it('lists malformed fields and refusals together in index order, fields in the order found', () => {
    const problems = listBatchProblems(
      [refusal],
      [
        { index: 3, field: 'id', invoiceId: 'inv-1', message: 'repeats invoices[1].id' },
        { index: 0, field: 'amount.value', message: 'is required' },
        { index: 0, field: 'dueDate', message: 'must be a calendar date' },
      ],
    );

    expect(problems).toEqual([
      { kind: 'malformed', index: 0, field: 'amount.value', message: 'is required' },
      { kind: 'malformed', index: 0, field: 'dueDate', message: 'must be a calendar date' },
      { kind: 'refused', ...refusal },
      {
        kind: 'malformed',
        index: 3,
        field: 'id',
        invoiceId: 'inv-1',
        message: 'repeats invoices[1].id',
      },
    ]);
  });

  it('says each where the body has it: a field by its path, a refusal by id and code', () => {
    expect(describeBatchProblem({ kind: 'refused', ...refusal })).toBe(
      'invoices[2] (inv-2): CUSTOMER_NOT_FOUND: customer nobody is not registered',
    );
    expect(
      describeBatchProblem({ kind: 'malformed', index: 1, field: 'amount.value', message: 'x' }),
    ).toBe('invoices[1].amount.value: x');
    expect(
      describeBatchProblem({ kind: 'malformed', index: 4, message: 'must be a JSON object' }),
    ).toBe('invoices[4]: must be a JSON object');
  });

  it('keeps the message of the whole: the count of entries refused and every problem', () => {
    const error = new InvoiceBatchRejectedError(
      [refusal],
      [
        { index: 0, field: 'amount', message: 'is required' },
        { index: 0, field: 'customerId', message: 'is required' },
      ],
    );

    expect(error.message).toBe(
      '2 invoice(s) of the batch refused, none written: invoices[0].amount: is required; ' +
        'invoices[0].customerId: is required; ' +
        'invoices[2] (inv-2): CUSTOMER_NOT_FOUND: customer nobody is not registered',
    );
    expect(error.problems.map((each) => each.index)).toEqual([0, 0, 2]);
  });
});

describe('parseNewInvoiceBatch', () => {
  const good = (id: string) => ({
    id,
    customerId: 'acme',
    amount: { value: '1.00', currency: 'EUR' },
  });

  it('gives each malformed entry its index, its path inside the entry and its id when well-formed', () => {
    const parsed = parseNewInvoiceBatch({
      invoices: [
        good('a'),
        { ...good('b'), amount: { currency: 'EUR' } },
        7,
        { ...good('c d'), extra: 1 },
        good('a'),
      ],
    });

    expect(parsed).toMatchObject({ ok: true, value: { indexes: [0] } });
    expect(parsed.ok && parsed.value.malformed).toEqual([
      { index: 1, field: 'amount.value', invoiceId: 'b', message: 'is required' },
      { index: 2, message: 'must be a JSON object' },
      { index: 2, field: 'id', message: 'is required' },
      { index: 2, field: 'customerId', message: 'is required' },
      { index: 2, field: 'amount', message: 'is required' },
      { index: 3, field: 'extra', message: 'is not a known property' },
      { index: 3, field: 'id', message: expect.stringMatching(/^must be letters/) },
      { index: 4, field: 'id', invoiceId: 'a', message: 'repeats invoices[0].id' },
    ]);
  });

  it('names entry errors by their path from the root when the body itself is wrong', () => {
    const parsed = parseNewInvoiceBatch({ invoices: [{ ...good('b'), dueDate: 'x' }], more: true });

    expect(parsed).toEqual({
      ok: false,
      errors: [
        { field: 'more', message: 'is not a known property' },
        { field: 'invoices[0].dueDate', message: 'must be a calendar date YYYY-MM-DD, got "x"' },
      ],
    });
  });
});
