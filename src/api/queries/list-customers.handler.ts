import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  CUSTOMER_READ_MODEL,
  type CustomerReadModel,
  type CustomerView,
} from '../read-models/customer-read-model.port';
import type { Page } from '../../shared/page';
import { ListCustomersQuery } from './list-customers.query';

@QueryHandler(ListCustomersQuery)
export class ListCustomersHandler implements IQueryHandler<ListCustomersQuery> {
  constructor(@Inject(CUSTOMER_READ_MODEL) private readonly customers: CustomerReadModel) {}

  execute({ page }: ListCustomersQuery): Promise<Page<CustomerView>> {
    return this.customers.list(page);
  }
}
