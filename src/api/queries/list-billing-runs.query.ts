import { Query } from '@nestjs/cqrs';
import type { BillingRunView, Page, PageRequest } from '../../../projections/read-models';

/** Billing runs, newest first. */
export class ListBillingRunsQuery extends Query<Page<BillingRunView>> {
  constructor(readonly page: PageRequest) {
    super();
  }
}
