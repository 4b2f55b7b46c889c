import { billingDateOf } from './billing-period';
import type { BillingRunEvent } from './billing-run-events';
import { initialBillingRunState, type BillingRunState } from './billing-run-state';
import { StreamCorruptError } from './stream-corrupt.error';

export function evolveBillingRun(state: BillingRunState, event: BillingRunEvent): BillingRunState {
  switch (event.type) {
    case 'BillingStarted': {
      if (state.exists)
        throw new StreamCorruptError('billing-run', event.type, 'the run already started');
      const { runId, period, trigger, instanceId, startedAt, billingDate } = event.data;
      return {
        exists: true,
        runId,
        period,
        trigger,
        startedBy: instanceId,
        startedAt,
        // A run started before due dates existed bills on its start's UTC date.
        billingDate: billingDate ?? billingDateOf(startedAt),
        status: 'RUNNING',
        completedAt: null,
        counts: null,
      };
    }
    case 'BillingCompleted': {
      if (!state.exists)
        throw new StreamCorruptError('billing-run', event.type, 'the run never started');
      const { completedAt, counts } = event.data;
      return { ...state, status: 'COMPLETED', completedAt, counts };
    }
  }
}

export function foldBillingRun(events: Iterable<BillingRunEvent>): BillingRunState {
  let state = initialBillingRunState;
  for (const event of events) state = evolveBillingRun(state, event);
  return state;
}
