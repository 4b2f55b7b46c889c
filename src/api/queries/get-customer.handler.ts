import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  CUSTOMER_READ_MODEL,
  type CustomerReadModel,
  type CustomerView,
} from '../read-models/customer-read-model.port';
import { NotFoundError } from '../errors/not-found.error';
import { GetCustomerQuery } from './get-customer.query';

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery> {
  constructor(@Inject(CUSTOMER_READ_MODEL) private readonly customers: CustomerReadModel) {}

  async execute({ customerId }: GetCustomerQuery): Promise<CustomerView> {
    const customer = await this.customers.get(customerId);
    if (!customer) {
      throw new NotFoundError('CUSTOMER_NOT_FOUND', `Customer ${customerId} does not exist`);
    }
    return customer;
  }
}
