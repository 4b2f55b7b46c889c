import { Query } from '@nestjs/cqrs';
import type { CustomerView } from '../read-models/customer-read-model.port';

/** One customer; NotFoundError when there is none. */
export class GetCustomerQuery extends Query<CustomerView> {
  constructor(readonly customerId: string) {
    super();
  }
}
