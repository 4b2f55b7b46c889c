import { InvoiceRepository } from '../../../src/billing/store/invoice-repository';
import { zeroCountsByStatus, type Invoice, type InvoiceStatus } from '../../../src/billing/domain';
import type { EventStore } from '../../../src/event-store/event-store.port';

/** Every invoice folded from its stream (the truth, not a read model), by status. */
export async function auditInvoices(
  store: EventStore,
  ids: readonly string[],
): Promise<{ invoices: Map<string, Invoice>; byStatus: Record<InvoiceStatus, number> }> {
  const repository = new InvoiceRepository(store);
  const invoices = new Map<string, Invoice>();
  const byStatus = zeroCountsByStatus();
  for (let i = 0; i < ids.length; i += 50) {
    const loaded = await Promise.all(ids.slice(i, i + 50).map((id) => repository.load(id)));
    for (const { id: invoiceId, state } of loaded) {
      if (!state.exists) throw new Error(`invoice ${invoiceId} does not exist`);
      invoices.set(invoiceId, state);
      byStatus[state.status]++;
    }
  }
  return { invoices, byStatus };
}
