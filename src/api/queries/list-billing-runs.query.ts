import { Query } from '@nestjs/cqrs';
import type { BillingRunView } from '../read-models/billing-run-read-model.port';
import type { Page, PageRequest } from '../../shared/page';

/** Billing runs, newest first. */
export class ListBillingRunsQuery extends Query<Page<BillingRunView>> {
  constructor(readonly page: PageRequest) {
    super();
  }
}
