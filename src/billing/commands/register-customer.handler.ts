import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../command-executor';
import type { Customer } from '../domain';
import { customerDecider } from '../store/customer-decider';
import { toCreateResult, type CreateResult } from './create-result';
import { CustomerCommandError } from './customer-command.error';
import { RegisterCustomerCommand } from './register-customer.command';
import { clientCause } from './request-cause';

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({
    customer,
    apiKeyName,
  }: RegisterCustomerCommand): Promise<CreateResult<Customer>> {
    const outcome = await this.executor.execute(
      customerDecider,
      customer,
      clientCause('RegisterCustomerCommand', apiKeyName),
    );
    if (!outcome.ok) throw new CustomerCommandError(outcome.error.code, outcome.error.message);
    const result = toCreateResult(outcome);
    if (!result.state.exists) throw new Error(`customer ${customer.customerId} vanished`);
    return { ...result, state: result.state };
  }
}
