import { CURRENCIES, isCurrency, type RegisterCustomer } from '../../billing/domain';
import { BodyFields } from './body-fields';
import type { Parsed } from './field-error';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** `{ id, currency, name?, email? }` as a RegisterCustomer command, or every field error. */
export function parseNewCustomer(body: unknown): Parsed<RegisterCustomer> {
  const fields = new BodyFields(body, '', ['id', 'currency', 'name', 'email']);
  const customerId = fields.entityId('id');
  const currency = fields.raw('currency');
  if (!fields.has('currency')) fields.fail('currency', 'is required');
  else if (!isCurrency(currency))
    fields.fail('currency', `must be one of ${CURRENCIES.join(', ')}`);
  const name = fields.optionalString('name', 200);
  const email = fields.optionalString('email', 254);
  if (email !== undefined && !EMAIL.test(email)) fields.fail('email', 'must be an e-mail address');
  if (fields.errors.length > 0) return { ok: false, errors: fields.errors };
  return {
    ok: true,
    value: {
      type: 'RegisterCustomer',
      customerId,
      currency: currency as RegisterCustomer['currency'],
      name: name ?? null,
      email: email ?? null,
    },
  };
}
