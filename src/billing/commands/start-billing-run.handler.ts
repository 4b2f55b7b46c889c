import { randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { WrongExpectedVersionError } from '../../event-store/errors/wrong-expected-version.error';
import { NO_STREAM } from '../../event-store/expected-revision';
import { BILLING_CLOCK, type BillingClock } from '../billing-clock';
import {
  decideBillingRun,
  initialBillingRunState,
  periodOf,
  type StartBillingRun,
} from '../domain';
import { RunWatcher } from '../engine/run-watcher';
import { BillingRunRepository } from '../store/billing-run-repository';
import { BillingRunCommandError } from './billing-run-command.error';
import { StartBillingRunCommand, type StartBillingRunResult } from './start-billing-run.command';

/**
 * Starts a run by appending BillingStarted with `no_stream`: a scheduled run's stream is
 * `billing-run-<YYYY-MM>`, so when every instance's cron fires at once exactly one
 * append wins and the others answer `started: false`. A manual run gets a fresh id.
 */
@CommandHandler(StartBillingRunCommand)
export class StartBillingRunHandler implements ICommandHandler<StartBillingRunCommand> {
  constructor(
    private readonly runs: BillingRunRepository,
    private readonly watcher: RunWatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
  ) {}

  async execute(command: StartBillingRunCommand): Promise<StartBillingRunResult> {
    const now = this.clock.now();
    const start = this.toDomain(command, now);
    const context = { now: now.toISOString(), instanceId: this.config.instanceId };
    const decision = decideBillingRun(start, initialBillingRunState, context);
    if (!decision.ok) throw new BillingRunCommandError(decision.error.code, decision.error.message);
    const started = decision.events[0];
    if (started.type !== 'BillingStarted') throw new Error('a start must append BillingStarted');
    const { runId } = started.data;
    const metadata = {
      instanceId: this.config.instanceId,
      runId,
      causation: `StartBillingRunCommand:${command.trigger}`,
      causationId: null,
    };
    try {
      const result = await this.runs.append(runId, decision.events, NO_STREAM, metadata);
      // Saves this instance a poll interval; every other instance joins through the read model.
      void this.watcher.join(runId);
      return { runId, started: true, position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const existing = await this.runs.load(runId);
      return { runId, started: false, position: existing.startedPosition };
    }
  }

  private toDomain(command: StartBillingRunCommand, now: Date): StartBillingRun {
    const period = command.period ?? undefined;
    if (command.trigger === 'scheduled') {
      return {
        type: 'StartBillingRun',
        trigger: 'scheduled',
        period: period ?? periodOf(now, this.config.billing.timeZone),
      };
    }
    return {
      type: 'StartBillingRun',
      trigger: 'manual',
      runId: manualRunId(now),
      ...(period === undefined ? {} : { period }),
    };
  }
}

/** `manual-20250501T101500Z-3f9a1c`: sortable, unique, never shaped like a period. */
export function manualRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `manual-${stamp}-${randomBytes(3).toString('hex')}`;
}
