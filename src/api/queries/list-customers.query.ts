import { Query } from '@nestjs/cqrs';
import type { CustomerView, Page, PageRequest } from '../../../projections/read-models';

export class ListCustomersQuery extends Query<Page<CustomerView>> {
  constructor(readonly page: PageRequest) {
    super();
  }
}
