import fc from 'fast-check';
import { billingTuning } from '../../../src/billing/billing-tuning';
import { CommandExecutor } from '../../../src/billing/command-executor';
import { CreateInvoiceCommand } from '../../../src/billing/commands/create-invoice.command';
import { CreateInvoiceHandler } from '../../../src/billing/commands/create-invoice.handler';
import { RegisterCustomerCommand } from '../../../src/billing/commands/register-customer.command';
import { RegisterCustomerHandler } from '../../../src/billing/commands/register-customer.handler';
import { StreamRepository } from '../../../src/billing/store/stream-repository';
import { loadConfig } from '../../../src/config/load-config';
import { openPgliteStore, type OpenStore } from '../../support/event-store-backends';

/**
 * Clients retry creates. Whatever the interleaving of repeated creates with the same ids,
 * each id holds one invoice, exactly one request created it, and every answer is the same.
 */
describe('repeated creates, interleaved', () => {
  let open: OpenStore;
  const config = loadConfig({ ANTAEUS_INSTANCE_ID: 'i-1', DATABASE_URL: 'postgres://x@y/z' });
  const clock = { now: () => new Date() };
  let round = 0;

  beforeAll(async () => {
    open = await openPgliteStore();
  });
  afterAll(async () => open?.close());

  it('never yield a second invoice or a different answer', async () => {
    // Several executors: as many instances, each with its own metadata and retries.
    const executors = [0, 1, 2].map(
      () =>
        new CommandExecutor(
          new StreamRepository(open.store),
          config,
          clock,
          billingTuning(config.billing),
        ),
    );
    const streams = new StreamRepository(open.store);
    await new RegisterCustomerHandler(executors[0]).execute(
      new RegisterCustomerCommand({
        type: 'RegisterCustomer',
        customerId: 'c',
        currency: 'EUR',
        name: null,
        email: null,
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ id: fc.integer({ min: 0, max: 3 }), by: fc.nat(2) }), {
          minLength: 2,
          maxLength: 12,
        }),
        async (requests) => {
          round += 1;
          const answers = await Promise.all(
            requests.map(({ id, by }) =>
              new CreateInvoiceHandler(executors[by], streams).execute(
                new CreateInvoiceCommand({
                  type: 'IssueInvoice',
                  invoiceId: `r${round}-${id}`,
                  customerId: 'c',
                  amount: { value: `${id + 1}.00`, currency: 'EUR' },
                }),
              ),
            ),
          );
          for (const id of new Set(requests.map((request) => request.id))) {
            const invoiceId = `r${round}-${id}`;
            const mine = answers.filter((answer) => answer.state.invoiceId === invoiceId);
            expect(mine.filter((answer) => answer.created)).toHaveLength(1);
            for (const answer of mine) {
              expect(answer.state).toEqual(mine[0].state);
              expect(answer.revision).toBe(0n);
            }
            expect(await open.store.readStream(`invoice-${invoiceId}`)).toHaveLength(1);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
