import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { BILLING_CLOCK, type BillingClock } from '../billing-clock';
import {
  StartBillingRunCommand,
  type StartBillingRunResult,
} from '../commands/start-billing-run.command';
import { periodOf, type PeriodLength } from '../domain';
import { BillingRunRepository } from '../store/billing-run-repository';
import { InstallationRecorder } from './installation-recorder';
import { findMissedRun } from './missed-run';
import { periodLengthOf } from './period-length';
import { BillingLog } from '../engine/billing-log';

export const BILLING_CRON_JOB = 'billing-run';

/**
 * Fires the scheduled run from BILLING_CRON in BILLING_TIMEZONE: one per month for a
 * monthly cron, one per day for a cron that fires more often (periodLengthOf). Every
 * instance fires; the run stream's `no_stream` append lets one start the period. On start
 * it catches up a run missed while the service was down.
 */
@Injectable()
export class BillingScheduler {
  private readonly logger = new BillingLog(BillingScheduler.name);
  private length: PeriodLength | undefined;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly registry: SchedulerRegistry,
    private readonly installation: InstallationRecorder,
    private readonly runs: BillingRunRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
  ) {}

  async start(): Promise<void> {
    const installedAt = await this.installation.installedAt();
    await this.catchUp(installedAt);
    const { cron, timeZone } = this.config.billing;
    const job = CronJob.from({
      cronTime: cron,
      timeZone,
      start: false,
      waitForCompletion: true,
      onTick: async () => {
        await this.fire().catch((error: Error) =>
          this.logger.error(`Scheduled billing run failed to start: ${error.message}`),
        );
      },
    });
    this.registry.addCronJob(BILLING_CRON_JOB, job);
    job.start();
    this.logger.log(
      `Billing runs scheduled at "${cron}" (${timeZone}); next ${job.nextDate().toISO()}`,
    );
  }

  async stop(): Promise<void> {
    if (!this.registry.doesExist('cron', BILLING_CRON_JOB)) return;
    await this.registry.getCronJob(BILLING_CRON_JOB).stop();
    this.registry.deleteCronJob(BILLING_CRON_JOB);
  }

  /** The cron's tick: start the period the fire time falls in. */
  fire(): Promise<StartBillingRunResult> {
    const period = periodOf(this.clock.now(), this.config.billing.timeZone, this.periodLength());
    return this.commandBus.execute(new StartBillingRunCommand('scheduled', period));
  }

  private periodLength(): PeriodLength {
    const { cron, timeZone } = this.config.billing;
    return (this.length ??= periodLengthOf(cron, timeZone));
  }

  /** Starts the run missed while the service was down, if any; null when none was missed. */
  async catchUp(installedAt: Date): Promise<StartBillingRunResult | null> {
    const { cron, timeZone } = this.config.billing;
    const missed = findMissedRun({ cron, timeZone, installedAt, now: this.clock.now() });
    if (!missed) return null;
    const existing = await this.runs.load(missed.period);
    if (existing.state.exists) return null;
    this.logger
      .forRun(missed.period)
      .warn(
        `Billing run ${missed.period} was due at ${missed.scheduledAt.toISOString()} and never started: starting it now`,
      );
    return this.commandBus.execute(new StartBillingRunCommand('scheduled', missed.period));
  }
}
