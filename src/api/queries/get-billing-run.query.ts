import { Query } from '@nestjs/cqrs';
import type { BillingRunView } from '../read-models/billing-run-read-model.port';

/** One run's progress; NotFoundError when there is none. */
export class GetBillingRunQuery extends Query<BillingRunView> {
  constructor(readonly runId: string) {
    super();
  }
}
