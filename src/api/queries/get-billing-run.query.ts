import { Query } from '@nestjs/cqrs';
import type { BillingRunView } from '../../../projections/read-models';

/** One run's progress; NotFoundError when there is none. */
export class GetBillingRunQuery extends Query<BillingRunView> {
  constructor(readonly runId: string) {
    super();
  }
}
