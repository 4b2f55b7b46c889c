import { billingDateOf, isBillingPeriod } from './billing-period';
import type { BillingRunCommand, StartBillingRun } from './billing-run-commands';
import type { BillingRunErrorCode } from './billing-run-error-code';
import type { BillingRunEvent } from './billing-run-events';
import type { BillingRunState } from './billing-run-state';
import { accept, reject, type Decision } from './decision';
import type { DecideContext } from './decide-context';
import { describeEntityIdRule, isEntityId } from './entity-id';
import { isIsoInstant } from './iso-instant';

export type BillingRunDecision = Decision<BillingRunEvent, BillingRunErrorCode>;

/**
 * Start and complete a run. The start is also guarded by the store (`no_stream`); this
 * check gives a clear answer to the instance that read the stream after another started it.
 */
export function decideBillingRun(
  command: BillingRunCommand,
  state: BillingRunState,
  context: DecideContext,
): BillingRunDecision {
  if (!isIsoInstant(context.now) || !isEntityId(context.instanceId)) {
    return reject('INVALID_COMMAND', 'context needs an ISO-8601 `now` and a valid `instanceId`');
  }
  if (command.type === 'StartBillingRun') return decideStart(command, state, context);
  if (!state.exists) return reject('RUN_NOT_FOUND', `billing run ${command.runId} has not started`);
  if (state.runId !== command.runId) {
    return reject(
      'INVALID_COMMAND',
      `command for run ${command.runId} was given run ${state.runId}`,
    );
  }
  if (state.status === 'COMPLETED') {
    return reject(
      'RUN_ALREADY_COMPLETED',
      `billing run ${state.runId} completed at ${state.completedAt}`,
    );
  }
  return accept({
    type: 'BillingCompleted',
    data: {
      runId: state.runId,
      instanceId: context.instanceId,
      completedAt: context.now,
      counts: command.counts ?? null,
    },
  });
}

function decideStart(
  command: StartBillingRun,
  state: BillingRunState,
  context: DecideContext,
): BillingRunDecision {
  const invalid = invalidStart(command);
  if (invalid) return reject('INVALID_COMMAND', invalid);
  const runId = command.trigger === 'scheduled' ? command.period : command.runId;
  const billingDate = billingDateIn(context.now, command.timeZone ?? 'UTC');
  if (billingDate === null)
    return reject('INVALID_COMMAND', `unknown time zone ${JSON.stringify(command.timeZone)}`);
  if (state.exists) {
    return reject(
      'RUN_ALREADY_STARTED',
      `billing run ${runId} was started by ${state.startedBy} at ${state.startedAt}`,
    );
  }
  return accept({
    type: 'BillingStarted',
    data: {
      runId,
      period: command.period ?? null,
      trigger: command.trigger,
      instanceId: context.instanceId,
      startedAt: context.now,
      billingDate,
    },
  });
}

function billingDateIn(now: string, timeZone: string): string | null {
  try {
    return billingDateOf(now, timeZone);
  } catch {
    return null;
  }
}

function invalidStart(command: StartBillingRun): string | null {
  if (command.period !== undefined && !isBillingPeriod(command.period)) {
    return `period must be YYYY-MM or YYYY-MM-DD, got ${JSON.stringify(command.period)}`;
  }
  if (command.trigger === 'scheduled') return null;
  if (!isEntityId(command.runId)) return `runId must be ${describeEntityIdRule()}`;
  if (command.trigger === 'retry' && !command.runId.startsWith('retry-'))
    return `a retry run's id starts with "retry-", got ${command.runId}`;
  // A manual id shaped like a period would take that month's scheduled stream.
  if (isBillingPeriod(command.runId))
    return `a manual runId must not look like a period: ${command.runId}`;
  return null;
}
