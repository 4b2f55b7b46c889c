import { decideInvoice, initialInvoiceState, type Money } from '../../../src/billing/domain';
import { InvoiceRepository } from '../../../src/billing/store/invoice-repository';
import type { EventStore } from '../../../src/event-store/event-store.port';
import { NO_STREAM } from '../../../src/event-store/expected-revision';
import type { Position } from '../../../src/event-store/position';

const AMOUNT: Money = { value: '10.00', currency: 'EUR' };

/** Issues invoices "1".."count" (batched appends); returns their ids and the last position. */
export async function issueInvoices(
  store: EventStore,
  count: number,
  firstId = 1,
): Promise<{ ids: string[]; position: Position | null }> {
  const repository = new InvoiceRepository(store);
  const context = { now: new Date().toISOString(), instanceId: 'seed' };
  const ids = Array.from({ length: count }, (_, i) => String(firstId + i));
  let position: Position | null = null;
  for (let start = 0; start < ids.length; start += 500) {
    const requests = ids.slice(start, start + 500).map((invoiceId) => {
      const decision = decideInvoice(
        { type: 'IssueInvoice', invoiceId, customerId: `customer-${invoiceId}`, amount: AMOUNT },
        initialInvoiceState,
        context,
      );
      if (!decision.ok) throw new Error(decision.error.message);
      return repository.appendRequest(invoiceId, decision.events, NO_STREAM, {
        instanceId: 'seed',
        runId: null,
        causation: 'test-seed',
        causationId: null,
      });
    });
    const results = await store.appendMany(requests);
    for (const result of results) {
      if (!result.success) throw result.error;
      position = result.position;
    }
  }
  return { ids, position };
}
