import { Query } from '@nestjs/cqrs';
import type { CustomerView } from '../../../projections/read-models';

/** One customer; NotFoundError when there is none. */
export class GetCustomerQuery extends Query<CustomerView> {
  constructor(readonly customerId: string) {
    super();
  }
}
