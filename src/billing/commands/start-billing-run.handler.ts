import { createHash, randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { currentKeyedRequest, type KeyedRequest } from '../../shared/keyed-request';
import { BILLING_CLOCK, type BillingClock } from '../billing-clock';
import { CommandExecutor } from '../command-executor';
import { periodOf, type StartBillingRun } from '../domain';
import { RunWatcher } from '../engine/run-watcher';
import { billingRunDecider } from '../store/billing-run-decider';
import { BillingRunCommandError } from './billing-run-command.error';
import { StartBillingRunCommand, type StartBillingRunResult } from './start-billing-run.command';

/**
 * Starts a run by appending BillingStarted to a new stream: a scheduled run's stream is
 * `billing-run-<YYYY-MM>`, so when every instance's cron fires at once exactly one
 * append wins and the others answer `started: false`. A manual run gets a fresh id,
 * but a keyed API request's id is derived from its key's record: a re-run of that request
 * after a crash finds the run it started and answers `started: true` again (§2.8).
 */
@CommandHandler(StartBillingRunCommand)
export class StartBillingRunHandler implements ICommandHandler<StartBillingRunCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly watcher: RunWatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
  ) {}

  async execute(command: StartBillingRunCommand): Promise<StartBillingRunResult> {
    const request = currentKeyedRequest();
    const start = this.toDomain(command, this.clock.now(), request);
    const outcome = await this.executor.execute(billingRunDecider, start, {
      runId: billingRunDecider.idOf(start),
      causation: `StartBillingRunCommand:${command.trigger}`,
      causationId: null,
      ...(command.apiKeyName === null ? {} : { apiKeyName: command.apiKeyName }),
      ...(request ? { requestId: request.requestId } : {}),
    });
    if (!outcome.ok) {
      const { code, message } = outcome.error;
      if (code !== 'RUN_ALREADY_STARTED' || !outcome.loaded.state.exists) {
        throw new BillingRunCommandError(code, message);
      }
      const { runId } = outcome.loaded.state;
      return { runId, started: false, position: outcome.loaded.firstPosition };
    }
    if (!outcome.state.exists || !outcome.result)
      throw new Error('a start must append BillingStarted');
    const { runId } = outcome.state;
    // Saves this instance a poll interval; every other instance joins through the read model.
    void this.watcher.join(runId);
    return { runId, started: true, position: outcome.result.position };
  }

  private toDomain(
    command: StartBillingRunCommand,
    now: Date,
    request: KeyedRequest | null,
  ): StartBillingRun {
    const period = command.period ?? undefined;
    const { timeZone } = this.config.billing;
    if (command.trigger === 'scheduled') {
      return {
        type: 'StartBillingRun',
        trigger: 'scheduled',
        period: period ?? periodOf(now, timeZone),
        timeZone,
      };
    }
    if (command.trigger === 'retry') {
      const runId = command.runId ?? retryRunId(now);
      return { type: 'StartBillingRun', trigger: 'retry', runId, timeZone };
    }
    return {
      type: 'StartBillingRun',
      trigger: 'manual',
      runId: request ? keyedManualRunId(request) : manualRunId(now),
      ...(period === undefined ? {} : { period }),
      timeZone,
    };
  }
}

/** `retry-20250501T101500Z`: the retry scan's run for the cron fire at `fireTime`. */
export function retryRunId(fireTime: Date): string {
  return `retry-${fireTime.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}`;
}

/** `manual-20250501T101500Z-3f9a1c`: sortable, unique, never shaped like a period. */
export function manualRunId(now: Date, suffix = randomBytes(3).toString('hex')): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `manual-${stamp}-${suffix}`;
}

/** The same for every run of one keyed request: from when it was first seen, and its id. */
export function keyedManualRunId({ requestId, firstSeenAt }: KeyedRequest): string {
  const suffix = createHash('sha256').update(requestId).digest('hex').slice(0, 6);
  return manualRunId(firstSeenAt, suffix);
}
