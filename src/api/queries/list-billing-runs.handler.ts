import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  BILLING_RUN_READ_MODEL,
  type BillingRunReadModel,
  type BillingRunView,
} from '../read-models/billing-run-read-model.port';
import type { Page } from '../../shared/page';
import { ListBillingRunsQuery } from './list-billing-runs.query';

@QueryHandler(ListBillingRunsQuery)
export class ListBillingRunsHandler implements IQueryHandler<ListBillingRunsQuery> {
  constructor(@Inject(BILLING_RUN_READ_MODEL) private readonly runs: BillingRunReadModel) {}

  execute({ page }: ListBillingRunsQuery): Promise<Page<BillingRunView>> {
    return this.runs.list(page);
  }
}
