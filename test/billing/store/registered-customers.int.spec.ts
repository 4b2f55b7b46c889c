import { billingTuning } from '../../../src/billing/billing-tuning';
import { CommandExecutor } from '../../../src/billing/command-executor';
import { CreateInvoiceBatchCommand } from '../../../src/billing/commands/create-invoice-batch.command';
import { CreateInvoiceBatchHandler } from '../../../src/billing/commands/create-invoice-batch.handler';
import { InvoiceBatchRejectedError } from '../../../src/billing/commands/invoice-batch-rejected.error';
import { RegisterCustomerCommand } from '../../../src/billing/commands/register-customer.command';
import { RegisterCustomerHandler } from '../../../src/billing/commands/register-customer.handler';
import { RegisteredCustomers } from '../../../src/billing/commands/registered-customers';
import {
  CUSTOMER_EVENT_TYPES,
  evolveCustomer,
  StreamCorruptError,
  type CustomerEvent,
} from '../../../src/billing/domain';
import { StreamRepository } from '../../../src/billing/store/stream-repository';
import { loadConfig } from '../../../src/config/load-config';
import type { EventStore } from '../../../src/event-store/event-store.port';
import { openPgliteStore, type OpenStore } from '../../support/event-store-backends';

/**
 * The bulk import hands its batches the customers it has read registered, so later
 * batches skip their streams; that is sound only while a registered customer can never
 * change, and only for customers found registered.
 */
describe('invoice batches with the customers already read registered', () => {
  let open: OpenStore;
  let read: string[];
  let batches: CreateInvoiceBatchHandler;
  let executor: CommandExecutor;

  beforeAll(async () => {
    open = await openPgliteStore();
    const config = loadConfig({ ANTAEUS_INSTANCE_ID: 'i-1', DATABASE_URL: 'postgres://x@y/z' });
    // The store as the handler sees it, noting every stream it reads.
    const store: EventStore = Object.create(open.store) as EventStore;
    store.readStreams = (streams) => {
      read.push(...streams);
      return open.store.readStreams(streams);
    };
    const streams = new StreamRepository(store);
    const tuning = billingTuning(config.billing);
    executor = new CommandExecutor(streams, config, { now: () => new Date() }, tuning);
    batches = new CreateInvoiceBatchHandler(executor, streams, tuning);
  });
  afterAll(async () => open?.close());
  beforeEach(() => (read = []));

  const register = (customerId: string) =>
    new RegisterCustomerHandler(executor).execute(
      new RegisterCustomerCommand({
        type: 'RegisterCustomer',
        customerId,
        currency: 'EUR',
        name: null,
        email: null,
      }),
    );
  const batch = (ids: string[], customerId: string, known: RegisteredCustomers) =>
    batches.execute(
      new CreateInvoiceBatchCommand(
        ids.map((invoiceId) => ({
          type: 'IssueInvoice' as const,
          invoiceId,
          customerId,
          amount: { value: '5.00', currency: 'EUR' as const },
        })),
        null,
        known,
      ),
    );

  it('reads a registered customer once, then decides on what it read', async () => {
    await register('known-1');
    const known = new RegisteredCustomers();

    await batch(['k-1', 'k-2'], 'known-1', known);
    const first = read;
    read = [];
    const second = await batch(['k-3'], 'known-1', known);

    expect(first).toContain('customer-known-1');
    expect(read).toEqual(['invoice-k-3']);
    expect(second.map((result) => [result.created, result.state.customerId])).toEqual([
      [true, 'known-1'],
    ]);
  });

  it('reads a customer not yet registered again, and accepts it once registered', async () => {
    const known = new RegisteredCustomers();

    const refused = await batch(['late-1'], 'late', known).catch((error: unknown) => error);
    await register('late');
    const accepted = await batch(['late-2'], 'late', known);

    expect(refused).toBeInstanceOf(InvoiceBatchRejectedError);
    expect((refused as InvoiceBatchRejectedError).rejections).toMatchObject([
      { index: 0, code: 'CUSTOMER_NOT_FOUND' },
    ]);
    expect(read.filter((stream) => stream === 'customer-late')).toHaveLength(2);
    expect(accepted.map((result) => result.created)).toEqual([true]);
  });

  it('remembers no more customers than its limit', async () => {
    await register('full-1');
    await register('full-2');
    const known = new RegisteredCustomers(1);

    await batch(['f-1'], 'full-1', known);
    await batch(['f-2'], 'full-2', known);
    read = [];
    await batch(['f-3'], 'full-1', known);
    await batch(['f-4'], 'full-2', known);

    expect(read.filter((stream) => stream.startsWith('customer-'))).toEqual(['customer-full-2']);
  });

  it('relies on a registered customer never changing: every customer event after it is refused', () => {
    // A new customer event that changes a registered customer (a currency change) makes
    // RegisteredCustomers unsound: this fails first, so it gets revisited.
    const registered = evolveCustomer(
      { exists: false },
      {
        type: 'CustomerRegistered',
        data: {
          customerId: 'c',
          currency: 'EUR',
          name: null,
          email: null,
          instanceId: 'i-1',
          registeredAt: '2026-12-03T00:00:00.000Z',
        },
      },
    );
    for (const type of CUSTOMER_EVENT_TYPES) {
      const event = {
        type,
        data: { customerId: 'c', currency: 'USD' },
      } as unknown as CustomerEvent;
      expect(() => evolveCustomer(registered, event)).toThrow(StreamCorruptError);
    }
  });
});
