import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { DEFAULT_RETRY_CRON } from '../../config/load-config';
import { BillingLog } from '../engine/billing-log';
import { BILLING_CLOCK, type BillingClock } from '../billing-clock';
import { retryRunId } from '../commands/start-billing-run.handler';
import {
  StartBillingRunCommand,
  type StartBillingRunResult,
} from '../commands/start-billing-run.command';
import { INVOICE_SCAN, type InvoiceScan } from '../engine/billing-read-model.port';
import { latestFire } from './latest-fire';

export const RETRY_CRON_JOB = 'retry-scan';

const DAY_MS = 24 * 60 * 60_000;

/**
 * The retry scan (docs/design.md §2.11): at each fire of BILLING_RETRY_CRON, when some
 * FAILED invoice has a retry due, it starts a billing run of trigger `retry` named after
 * the fire time (`retry-20261203T141500Z`): every instance's cron names the same run, so
 * one starts it (no_stream) and all work it through the run watcher and the same claim
 * path as any run. At start it fires once: the retries that fell due while the service
 * was down were scheduled before it stopped, so the read model (kept in the database)
 * already shows them due.
 */
@Injectable()
export class RetryScheduler {
  private readonly logger = new BillingLog(RetryScheduler.name);

  constructor(
    private readonly commandBus: CommandBus,
    private readonly registry: SchedulerRegistry,
    @Inject(INVOICE_SCAN) private readonly invoices: InvoiceScan,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
  ) {}

  private get cron(): string {
    return this.config.billing.retryCron ?? DEFAULT_RETRY_CRON;
  }

  async start(): Promise<void> {
    await this.fire().catch((error: Error) =>
      this.logger.error(`The retry scan's catch-up at start failed: ${error.message}`),
    );
    const { timeZone } = this.config.billing;
    const job = CronJob.from({
      cronTime: this.cron,
      timeZone,
      start: false,
      waitForCompletion: true,
      onTick: async () => {
        await this.fire().catch((error: Error) =>
          this.logger.error(`The retry scan failed to start: ${error.message}`),
        );
      },
    });
    this.registry.addCronJob(RETRY_CRON_JOB, job);
    job.start();
    this.logger.log(`Retry scan scheduled at "${this.cron}" (${timeZone})`);
  }

  async stop(): Promise<void> {
    if (!this.registry.doesExist('cron', RETRY_CRON_JOB)) return;
    await this.registry.getCronJob(RETRY_CRON_JOB).stop();
    this.registry.deleteCronJob(RETRY_CRON_JOB);
  }

  /** The cron's tick: a retry run for this fire, if any retry is due; null when none is. */
  async fire(): Promise<StartBillingRunResult | null> {
    const now = this.clock.now();
    if (!(await this.invoices.anyRetryDue(now))) return null;
    return this.startRun(now);
  }

  private startRun(now: Date): Promise<StartBillingRunResult> {
    const fired = latestFire(
      this.cron,
      this.config.billing.timeZone,
      new Date(now.getTime() - DAY_MS),
      now,
    );
    const runId = retryRunId(fired ?? now);
    return this.commandBus.execute(new StartBillingRunCommand('retry', null, null, runId));
  }
}
