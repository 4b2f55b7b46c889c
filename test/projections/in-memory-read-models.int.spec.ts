import { openPgliteStore } from '../support/event-store-backends';
import { InMemoryReadModels } from '../support/read-models/in-memory-read-models';
import { describeReadModelContract, type ReadModelSubject } from './read-model.contract';

/** The tests' fake of the read side, following an embedded store's log. */
async function openInMemoryReadModels(): Promise<ReadModelSubject> {
  const open = await openPgliteStore();
  const readModels = new InMemoryReadModels();
  return {
    store: open.store,
    invoices: readModels.invoiceReadModel,
    customers: readModels.customerReadModel,
    billingRuns: readModels.billingRunReadModel,
    runProgress: readModels.billingRunReadModel,
    status: readModels.projectionStatus,
    start: () => readModels.follow(open.store),
    close: async () => {
      await readModels.close();
      await open.close();
    },
  };
}

describeReadModelContract('in memory, the fake every test uses', openInMemoryReadModels);
