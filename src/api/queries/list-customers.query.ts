import { Query } from '@nestjs/cqrs';
import type { CustomerView } from '../read-models/customer-read-model.port';
import type { Page, PageRequest } from '../../shared/page';

export class ListCustomersQuery extends Query<Page<CustomerView>> {
  constructor(readonly page: PageRequest) {
    super();
  }
}
