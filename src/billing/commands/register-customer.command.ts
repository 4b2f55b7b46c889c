import { Command } from '@nestjs/cqrs';
import type { Customer, RegisterCustomer } from '../domain';
import type { CreateResult } from './create-result';

export class RegisterCustomerCommand extends Command<CreateResult<Customer>> {
  constructor(readonly customer: RegisterCustomer) {
    super();
  }
}
