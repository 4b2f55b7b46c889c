import { Command } from '@nestjs/cqrs';
import type { Customer, RegisterCustomer } from '../domain';
import type { CreateResult } from './create-result';

export class RegisterCustomerCommand extends Command<CreateResult<Customer>> {
  constructor(
    readonly customer: RegisterCustomer,
    /** Who asked (invariant 9): the API key's name; null when no request did (CLI import). */
    readonly apiKeyName: string | null = null,
  ) {
    super();
  }
}
