import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RecoverySweep } from './engine/recovery-sweep';
import { RunWatcher } from './engine/run-watcher';
import { BillingScheduler } from './scheduling/billing-scheduler';
import { RetryScheduler } from './scheduling/retry-scheduler';
import { BillingLog } from './engine/billing-log';

export const BILLING_BACKGROUND = Symbol('BILLING_BACKGROUND');

/**
 * Starts the background work at bootstrap (schedulers with their catch-up, run watcher,
 * recovery sweep) and stops it before the event store and database close: claiming
 * stops at once, charges in flight get a grace period to record their outcomes.
 */
@Injectable()
export class BillingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new BillingLog(BillingLifecycle.name);

  constructor(
    private readonly scheduler: BillingScheduler,
    private readonly retries: RetryScheduler,
    private readonly watcher: RunWatcher,
    private readonly sweep: RecoverySweep,
    @Inject(BILLING_BACKGROUND) private readonly background: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.background) return;
    await this.scheduler.start();
    await this.retries.start();
    this.watcher.start();
    this.sweep.start();
    this.logger.log('Billing engine, recovery sweep and scheduler started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.scheduler.stop(), this.retries.stop()]);
    await Promise.all([this.sweep.stop(), this.watcher.stop()]);
  }
}
