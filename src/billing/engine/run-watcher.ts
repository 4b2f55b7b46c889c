import { Inject, Injectable } from '@nestjs/common';
import { BILLING_TUNING, type BillingTuning } from '../billing-tuning';
import { BillingEngine } from './billing-engine';
import { BILLING_RUN_PROGRESS, type BillingRunProgress } from './billing-read-model.port';
import { StopSignal } from '../../shared/stop-signal';
import { BillingLog } from './billing-log';

/**
 * Makes this instance work every RUNNING run, whoever started it. The work list comes
 * from the read model (durable, shared by every instance), never from the in-memory
 * event bus: an instance that starts late, or restarts mid-run, still joins.
 */
@Injectable()
export class RunWatcher {
  private readonly logger = new BillingLog(RunWatcher.name);
  private readonly stopSignal = new StopSignal();
  private readonly working = new Map<string, Promise<void>>();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly engine: BillingEngine,
    @Inject(BILLING_RUN_PROGRESS) private readonly runs: BillingRunProgress,
    @Inject(BILLING_TUNING) private readonly tuning: BillingTuning,
  ) {}

  /** Runs this instance is working on now. */
  get activeRuns(): string[] {
    return [...this.working.keys()];
  }

  start(): void {
    this.loop ??= this.watch();
  }

  /** Works `runId` here unless it already is; resolves when this instance is done with it. */
  join(runId: string): Promise<void> {
    const existing = this.working.get(runId);
    if (existing) return existing;
    if (this.stopSignal.stopped || this.engine.stopping) return Promise.resolve();
    const work = this.engine
      .workRun(runId)
      .then((result) =>
        this.logger.forRun(runId).log(`Billing run ${runId}: ${result} on this instance`),
      )
      .catch((error: Error) =>
        this.logger
          .forRun(runId)
          .error(`Billing run ${runId} stopped on an error: ${error.message}`),
      )
      .finally(() => this.working.delete(runId));
    this.working.set(runId, work);
    return work;
  }

  async pollOnce(): Promise<void> {
    for (const run of await this.runs.running()) void this.join(run.runId);
  }

  /** Stops watching and stops the engine (see BillingEngine.stop). */
  async stop(graceMs?: number): Promise<void> {
    this.stopSignal.stop();
    await this.engine.stop(graceMs);
    await this.loop;
  }

  private async watch(): Promise<void> {
    while (!this.stopSignal.stopped) {
      try {
        await this.pollOnce();
      } catch (error) {
        this.logger.warn(`Cannot list running billing runs: ${(error as Error).message}`);
      }
      await this.stopSignal.sleep(this.tuning.runPollIntervalMs);
    }
  }
}
