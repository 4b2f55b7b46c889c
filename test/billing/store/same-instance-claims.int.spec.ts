import { billingTuning } from '../../../src/billing/billing-tuning';
import { invoiceStream } from '../../../src/billing/domain';
import { CommandExecutor } from '../../../src/billing/command-executor';
import { InvoiceRepository } from '../../../src/billing/store/invoice-repository';
import { invoiceDecider } from '../../../src/billing/store/invoice-decider';
import { StreamRepository } from '../../../src/billing/store/stream-repository';
import { loadConfig } from '../../../src/config/load-config';
import { openPostgresStore, type OpenStore } from '../../support/event-store-backends';

/**
 * Two claimers in one instance, deciding at the same millisecond, produce the same
 * ChargeAttempted (same attempt key, instance, run and time). Identical content must not
 * pass for a retry of the other's write: exactly one claim may win (invariant 1).
 */
describe('claims of one instance at the same instant', () => {
  let open: OpenStore;
  const frozen = new Date('2026-12-01T00:00:00.000Z');
  const config = loadConfig({
    ANTAEUS_INSTANCE_ID: 'instance-1',
    DATABASE_URL: 'postgres://x@y/z',
  });

  beforeAll(async () => {
    open = await openPostgresStore('same_instance');
  });
  afterAll(async () => open?.close());

  it('let exactly one of them win', async () => {
    const repository = new InvoiceRepository(open.store);
    const executor = () =>
      new CommandExecutor(
        new StreamRepository(open.store),
        config,
        { now: () => frozen },
        billingTuning(config.billing),
      );
    const cause = { runId: 'run-1', causation: 'test', causationId: null };
    await executor().execute(
      invoiceDecider,
      {
        type: 'IssueInvoice',
        invoiceId: '7',
        customerId: 'c',
        amount: { value: '1.00', currency: 'EUR' },
      },
      cause,
    );
    const loaded = await repository.load('7');
    const claims = await Promise.all(
      [executor(), executor()].map((claimer) =>
        claimer.execute(
          invoiceDecider,
          { type: 'ClaimCharge', invoiceId: '7', runId: 'run-1' },
          cause,
          loaded,
        ),
      ),
    );
    expect(claims.map((claim) => claim.ok).sort()).toEqual([false, true]);
    const types = (await open.store.readStream(invoiceStream('7'))).map((event) => event.type);
    expect(types).toEqual(['InvoiceIssued', 'ChargeAttempted']);
  });
});
