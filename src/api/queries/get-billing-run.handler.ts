import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  BILLING_RUN_READ_MODEL,
  type BillingRunReadModel,
  type BillingRunView,
} from '../read-models/billing-run-read-model.port';
import { NotFoundError } from '../errors/not-found.error';
import { GetBillingRunQuery } from './get-billing-run.query';

@QueryHandler(GetBillingRunQuery)
export class GetBillingRunHandler implements IQueryHandler<GetBillingRunQuery> {
  constructor(@Inject(BILLING_RUN_READ_MODEL) private readonly runs: BillingRunReadModel) {}

  async execute({ runId }: GetBillingRunQuery): Promise<BillingRunView> {
    const run = await this.runs.get(runId);
    if (!run)
      throw new NotFoundError('BILLING_RUN_NOT_FOUND', `Billing run ${runId} does not exist`);
    return run;
  }
}
