import { Logger } from '@nestjs/common';
import { billingTuning } from '../../../src/billing/billing-tuning';
import { invoiceStream } from '../../../src/billing/domain';
import { openAttemptOf, type OpenAttempt } from '../../../src/billing/engine/open-attempt';
import { OutcomeRecorder } from '../../../src/billing/engine/outcome-recorder';
import { PositionTracker } from '../../../src/billing/engine/position-tracker';
import type { CommandExecutor } from '../../../src/billing/command-executor';
import { invoiceDecider } from '../../../src/billing/store/invoice-decider';
import { InvoiceRepository } from '../../../src/billing/store/invoice-repository';
import type {
  AppendRequest,
  BatchAppendResult,
  EventStore,
} from '../../../src/event-store/event-store.port';
import { at, given, invoiceOf, issue, minutesAfterT0 } from '../domain/invoice-test-kit';
import { testConfig } from '../support/billing-instance';

/** Invoice `invoiceId` issued and claimed: its open attempt 1, at revision 1. */
function claimed(invoiceId: string): OpenAttempt {
  const { state } = given(issue(invoiceId), { type: 'ClaimCharge', invoiceId, runId: 'run-1' });
  const open = openAttemptOf(invoiceOf(state), 1n, 'claim-event');
  if (!open) throw new Error('no open attempt');
  return open;
}

describe('OutcomeRecorder', () => {
  let appended: AppendRequest[][];
  let store: EventStore;
  let invoices: InvoiceRepository;
  let execute: jest.Mock;
  let recorder: OutcomeRecorder;

  beforeEach(() => {
    appended = [];
    store = {
      appendMany: async (requests: readonly AppendRequest[]): Promise<BatchAppendResult[]> => {
        appended.push([...requests]);
        return requests.map((request, i) => ({
          success: true,
          stream: request.stream,
          nextExpectedRevision: 2n,
          position: { commit: 1n, prepare: BigInt(i) },
        }));
      },
    } as unknown as EventStore;
    invoices = new InvoiceRepository(store);
    execute = jest.fn();
    const executor = {
      context: () => at(minutesAfterT0(5)),
      metadata: (cause: object) => ({ instanceId: 'instance-a', writeId: 'w', ...cause }),
      execute,
    } as unknown as CommandExecutor;
    const tuning = billingTuning(testConfig('instance-a').billing, {
      storeRetryDelayMs: () => 1,
    });
    recorder = new OutcomeRecorder(invoices, executor, new PositionTracker(), store, tuning);
  });

  it('decides the outcomes handed over in one turn after it, and appends them together', async () => {
    const decide = jest.spyOn(invoices, 'appendRequest');

    const results = ['1', '2', '3'].map((id) =>
      recorder.record(claimed(id), { kind: 'paid' }, 'billing-engine'),
    );

    // Nothing decided in the caller's turn: the charge that ended frees its slot first.
    expect(decide).not.toHaveBeenCalled();
    await expect(Promise.all(results)).resolves.toEqual(['recorded', 'recorded', 'recorded']);
    expect(appended).toHaveLength(1);
    const [batch] = appended;
    expect(batch.map((request) => request.stream)).toEqual(
      ['1', '2', '3'].map((id) => invoiceStream(id)),
    );
    for (const request of batch) {
      expect(request.expectedRevision).toBe(1n);
      expect(request.events.map((event) => event.type)).toEqual(['InvoicePaid']);
    }
    expect(recorder.pending).toBe(0);
  });

  it('records an outcome whose decision throws the slow way, and says so in the log', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(invoices, 'appendRequest').mockImplementationOnce(() => {
      throw new Error('a bug in the event mapping');
    });
    execute.mockResolvedValue({
      ok: true,
      result: { nextExpectedRevision: 2n, position: { commit: 1n, prepare: 0n } },
    });

    const result = await recorder.record(claimed('7'), { kind: 'paid' }, 'billing-engine');

    expect(result).toBe('recorded');
    expect(appended).toEqual([]);
    expect(execute).toHaveBeenCalledWith(
      invoiceDecider,
      {
        type: 'RecordChargeOutcome',
        invoiceId: '7',
        attempt: 1,
        outcome: { kind: 'paid' },
      },
      { runId: 'run-1', causation: 'billing-engine', causationId: 'claim-event' },
    );
    expect(logged).toHaveBeenCalledWith({
      msg: expect.stringContaining('a bug in the event mapping'),
      runId: 'run-1',
      invoiceId: '7',
      attempt: 1,
    });
    logged.mockRestore();
  });
});
