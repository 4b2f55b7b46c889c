import type { RecordedEvent } from '../../event-store/recorded-event';
import {
  StreamCorruptError,
  billingRunStream,
  decideBillingRun,
  evolveBillingRun,
  initialBillingRunState,
  type BillingRunCommand,
  type BillingRunErrorCode,
  type BillingRunEvent,
  type BillingRunState,
} from '../domain';
import { deterministicEventId } from './deterministic-event-id';
import type { StreamDecider } from './stream-decider';

/** The billing-run stream `billing-run-<id>` for the write path. */
export const billingRunDecider: StreamDecider<
  BillingRunCommand,
  BillingRunState,
  BillingRunEvent,
  BillingRunErrorCode
> = {
  idOf: (command) =>
    command.type === 'CompleteBillingRun' ? command.runId : startedRunId(command),
  streamName: billingRunStream,
  initialState: initialBillingRunState,
  evolve: evolveBillingRun,
  decide: decideBillingRun,
  fromRecorded,
  eventId: runEventId,
};

function startedRunId(command: Extract<BillingRunCommand, { type: 'StartBillingRun' }>): string {
  return command.trigger === 'scheduled' ? command.period : command.runId;
}

function fromRecorded(recorded: RecordedEvent): BillingRunEvent {
  if (recorded.type !== 'BillingStarted' && recorded.type !== 'BillingCompleted') {
    throw new StreamCorruptError(
      'billing-run',
      recorded.type,
      `unexpected event in ${recorded.stream}`,
    );
  }
  return { type: recorded.type, data: recorded.data } as unknown as BillingRunEvent;
}

/**
 * One start and one completion per run. A start is named by who started it when, so
 * a retry of that append is idempotent while another instance's start of the same
 * period fails on the stream's `no_stream`, not as a retry.
 */
function runEventId(event: BillingRunEvent, runId: string): string {
  return event.type === 'BillingStarted'
    ? deterministicEventId(event.type, runId, event.data.instanceId, event.data.startedAt)
    : deterministicEventId(event.type, runId);
}
