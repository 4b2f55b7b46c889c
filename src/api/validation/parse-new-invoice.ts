import {
  CURRENCIES,
  isCalendarDate,
  isCurrency,
  type IssueInvoice,
  type Money,
} from '../../billing/domain';
import { BodyFields } from './body-fields';
import type { Parsed } from './field-error';

/** Positive, at most two fraction digits (every currency has two minor units), < 1e9. */
const AMOUNT = /^(0|[1-9]\d{0,8})(\.\d{1,2})?$/;

export type NewInvoice = Omit<IssueInvoice, 'customer'>;

/**
 * `{ id, customerId, amount: { value, currency }, dueDate?, description? }` as an
 * IssueInvoice command, or every field error; `path` prefixes the fields (a batch entry).
 */
export function parseNewInvoice(body: unknown, path = ''): Parsed<NewInvoice> {
  const fields = new BodyFields(body, path, [
    'id',
    'customerId',
    'amount',
    'dueDate',
    'description',
  ]);
  const invoiceId = fields.entityId('id');
  const customerId = fields.entityId('customerId');
  const amount = parseAmount(fields);
  const dueDate = parseDueDate(fields);
  const description = fields.optionalString('description', 1000);
  if (fields.errors.length > 0 || !amount) return { ok: false, errors: fields.errors };
  return {
    ok: true,
    value: {
      type: 'IssueInvoice',
      invoiceId,
      customerId,
      amount,
      ...(dueDate === undefined ? {} : { dueDate }),
      ...(description === undefined ? {} : { description }),
    },
  };
}

function parseAmount(fields: BodyFields): Money | null {
  if (!fields.has('amount')) {
    fields.fail(fields.at('amount'), 'is required');
    return null;
  }
  const amount = new BodyFields(fields.raw('amount'), fields.at('amount'), ['value', 'currency']);
  const value = amount.raw('value');
  const currency = amount.raw('currency');
  if (!amount.has('value')) amount.fail(amount.at('value'), 'is required');
  else if (typeof value !== 'string')
    amount.fail(amount.at('value'), 'must be a decimal string such as "10.50", not a number');
  else if (!AMOUNT.test(value) || /^0(\.0{1,2})?$/.test(value))
    amount.fail(
      amount.at('value'),
      `must be a positive decimal with at most 2 fraction digits, at most 999999999.99, got ${JSON.stringify(value)}`,
    );
  if (!amount.has('currency')) amount.fail(amount.at('currency'), 'is required');
  else if (!isCurrency(currency))
    amount.fail(amount.at('currency'), `must be one of ${CURRENCIES.join(', ')}`);
  fields.errors.push(...amount.errors);
  if (amount.errors.length > 0) return null;
  const [whole, fraction = ''] = (value as string).split('.');
  return { value: `${whole}.${fraction.padEnd(2, '0')}`, currency: currency as Money['currency'] };
}

function parseDueDate(fields: BodyFields): string | undefined {
  if (!fields.has('dueDate')) return undefined;
  const value = fields.raw('dueDate');
  if (!isCalendarDate(value)) {
    fields.fail(
      fields.at('dueDate'),
      `must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`,
    );
    return undefined;
  }
  return value;
}
