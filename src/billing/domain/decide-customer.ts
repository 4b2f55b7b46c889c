import type { CustomerCommand } from './customer-commands';
import type { CustomerDecision } from './customer-error-code';
import type { CustomerState } from './customer-state';
import type { DecideContext } from './decide-context';
import { accept, reject } from './decision';
import { differingFields } from './differing-fields';
import { describeEntityIdRule, isEntityId } from './entity-id';
import { isCurrency } from '../../shared/money';

/**
 * Registers a customer once. The id is the client's, so a repeat is either the same
 * facts (nothing to append: the caller answers "already exists") or a conflict that
 * names the fields that differ.
 */
export function decideCustomer(
  command: CustomerCommand,
  state: CustomerState,
  context: DecideContext,
): CustomerDecision {
  if (!isEntityId(command.customerId)) {
    return reject('INVALID_COMMAND', `customerId must be ${describeEntityIdRule()}`);
  }
  if (!isCurrency(command.currency)) {
    return reject('INVALID_COMMAND', `currency ${JSON.stringify(command.currency)} is unknown`);
  }
  const { customerId, currency, name, email } = command;
  if (state.exists) {
    const existing = { currency: state.currency, name: state.name, email: state.email };
    const differ = differingFields(existing, { currency, name, email });
    if (differ.length === 0) return accept();
    return reject(
      'CUSTOMER_CONFLICT',
      `customer ${customerId} is already registered with another ${differ.join(', ')}`,
    );
  }
  return accept({
    type: 'CustomerRegistered',
    data: {
      customerId,
      currency,
      name,
      email,
      instanceId: context.instanceId,
      registeredAt: context.now,
    },
  });
}
