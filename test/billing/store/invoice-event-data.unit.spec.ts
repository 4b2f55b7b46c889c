import { deterministicEventId } from '../../../src/billing/store/deterministic-event-id';
import {
  fromRecordedInvoiceEvent,
  invoiceEventId,
} from '../../../src/billing/store/invoice-event-data';
import { invoiceDecider } from '../../../src/billing/store/invoice-decider';
import { toEventData } from '../../../src/billing/store/stream-repository';
import type { InvoiceEvent } from '../../../src/billing/domain';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const STAGE = {
  invoiceId: '42',
  attempt: 1,
  idempotencyKey: 'invoice-42-attempt-1',
  runId: '2025-05',
  instanceId: 'instance-a',
};
const paid = (instanceId: string): InvoiceEvent => ({
  type: 'InvoicePaid',
  data: { ...STAGE, instanceId, amount: { value: '10.00', currency: 'EUR' }, paidAt: 'x' },
});

describe('event ids named by facts', () => {
  it('are UUIDs, stable for the same parts and different for others', () => {
    expect(deterministicEventId('a', 'b')).toMatch(UUID);
    expect(deterministicEventId('a', 'b')).toBe(deterministicEventId('a', 'b'));
    expect(deterministicEventId('a', 'b')).not.toBe(deterministicEventId('ab'));
  });

  it('never change: events stored before name their facts with the same ids', () => {
    expect(deterministicEventId('InvoiceIssued', 'inv-1')).toBe(
      '9351ea42-b3a2-8e11-b968-5a906c603099',
    );
  });

  it('one outcome of one type per attempt: the same id whoever writes it', () => {
    expect(invoiceEventId(paid('instance-a'), 3n)).toBe(invoiceEventId(paid('instance-b'), 4n));
    const failed: InvoiceEvent = {
      type: 'ChargeFailed',
      data: { ...STAGE, reason: 'NETWORK', message: 'm', retryable: true, failedAt: 'x' },
    };
    expect(invoiceEventId(failed, 3n)).not.toBe(invoiceEventId(paid('instance-a'), 3n));
  });

  it('each re-drive of an attempt is its own fact, named by where it lands', () => {
    const redriven: InvoiceEvent = { type: 'ChargeRedriven', data: { ...STAGE, redrivenAt: 'x' } };
    expect(invoiceEventId(redriven, 2n)).not.toBe(invoiceEventId(redriven, 3n));
  });

  it('maps to EventData with the audit metadata, and back', () => {
    const data = toEventData(invoiceDecider, '42', paid('instance-a'), 2n, {
      instanceId: 'instance-a',
      runId: '2025-05',
      causation: 'billing-engine',
      causationId: null,
    });
    expect(data.metadata).toEqual({
      instanceId: 'instance-a',
      runId: '2025-05',
      causation: 'billing-engine',
      causationId: null,
    });
    const recorded = { ...data, stream: 'invoice-42', metadata: {} } as unknown as RecordedEvent;
    expect(fromRecordedInvoiceEvent(recorded)).toEqual(paid('instance-a'));
    expect(() => fromRecordedInvoiceEvent({ ...recorded, type: 'Nope' })).toThrow(/corrupt/);
  });
});
