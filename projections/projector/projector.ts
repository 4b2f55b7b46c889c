import { LockSession } from '../../src/database/lock-session';
import type { SqlDatabase } from '../../src/database/sql-database';
import type { AllSubscription, EventStore } from '../../src/event-store/event-store.port';
import { exponentialBackoff } from '../../src/shared/exponential-backoff';
import { StopSignal } from '../../src/shared/stop-signal';
import { readCheckpoint } from '../checkpoints/checkpoints';
import { LIVE_TABLES, type Projection } from '../projection';
import { BatchReader } from './batch-reader';
import { projectionLeaseKey, rebuildIntentKey } from './lease-keys';
import { LeaseLostError } from './lease-lost.error';
import { projectBatch } from './project-batch';
import { nestProjectorLogger, type ProjectorLogger } from './projector-logger';

/**
 * A projector's commits do not wait for their WAL flush: a batch is rows and checkpoint
 * in one transaction, so a crash can only lose whole batches, the last ones committed,
 * and the projector applies them again from the checkpoint that survived (the log is
 * the truth). Whatever a durable write later reads from them is flushed with that write
 * (the WAL is flushed in order). This keeps every projection's commit out of the WAL
 * flushes the appends wait for (docs/benchmarks.md, REST writes).
 */
const ASYNCHRONOUS_COMMIT = 'SET synchronous_commit TO off';

export interface ProjectorOptions {
  /** Most events applied per transaction. */
  readonly batchSize?: number;
  /** How often a standby tries to take the lease. */
  readonly leaseRetryMs?: number;
  /** How often the active projector checks whether a rebuild wants the lease. */
  readonly leaseCheckMs?: number;
  /**
   * After a batch that caught up with the log, wait this long before the next (default
   * 20 ms): under a steady stream of appends (200 creates a second) the projector then
   * commits a few batches of several events a second instead of one per append, and
   * leaves the database and the event loop to the requests. The read model lags by at
   * most this much more.
   */
  readonly settleMs?: number;
  /** A batch whose transaction takes longer than this is logged (default 1 s). */
  readonly slowBatchMs?: number;
  /** Back-off after an error: doubles from the first value up to the second. */
  readonly backoffMs?: readonly [initial: number, max: number];
  readonly logger?: ProjectorLogger;
}

/**
 * Runs one projection: stands by until it holds the projection's lease, then follows
 * the log from the stored checkpoint and applies it in batches, rows and checkpoint in
 * one transaction on the lease's own session. Any error is logged, and after a back-off
 * it starts again from the stored checkpoint; it never stops for good until stop().
 */
export class Projector {
  private readonly batchSize: number;
  private readonly leaseRetryMs: number;
  private readonly leaseCheckMs: number;
  private readonly slowBatchMs: number;
  private readonly settleMs: number;
  private readonly backoffMs: (failures: number) => number;
  private readonly logger: ProjectorLogger;
  private running: Promise<void> | undefined;
  private stopSignal = new StopSignal();
  private locks: LockSession | undefined;
  private subscription: AllSubscription | undefined;
  private active = false;

  constructor(
    private readonly db: SqlDatabase,
    private readonly store: EventStore,
    readonly projection: Projection,
    options: ProjectorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.leaseRetryMs = options.leaseRetryMs ?? 1000;
    this.leaseCheckMs = options.leaseCheckMs ?? 250;
    this.slowBatchMs = options.slowBatchMs ?? 1_000;
    this.settleMs = options.settleMs ?? 20;
    this.backoffMs = exponentialBackoff(...(options.backoffMs ?? [100, 10_000]));
    this.logger = options.logger ?? nestProjectorLogger();
  }

  get name(): string {
    return this.projection.name;
  }

  /** Whether this projector holds the lease and is projecting. */
  get activeHere(): boolean {
    return this.active;
  }

  start(): void {
    if (this.running) return;
    if (this.stopSignal.stopped) this.stopSignal = new StopSignal();
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopSignal.stop();
    await this.subscription?.close();
    await this.running;
    this.running = undefined;
    await this.closeLocks();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopSignal.stopped) {
      try {
        const locks = await this.openLocks();
        if (await this.acquire(locks)) {
          this.logger.log(`projection ${this.name}: lease taken, projecting`);
          await this.projectWhileLeased(locks);
          await locks.unlock(projectionLeaseKey(this.name));
          failures = 0;
        }
        await this.stopSignal.sleep(this.leaseRetryMs);
      } catch (error) {
        if (this.stopSignal.stopped) break;
        const backoff = this.backoffMs(++failures);
        this.logger.error(
          `projection ${this.name} stopped (${describe(error)}); restarting from its checkpoint in ${backoff} ms`,
          error,
        );
        // A new session next time: the old one may be broken, and closing it frees the lease.
        await this.closeLocks();
        await this.stopSignal.sleep(backoff);
      }
    }
  }

  /** Takes the lease unless a rebuild is waiting for it. */
  private async acquire(locks: LockSession): Promise<boolean> {
    if (await locks.isHeldElsewhere(rebuildIntentKey(this.name))) return false;
    return locks.tryLock(projectionLeaseKey(this.name));
  }

  /** Projects until stopped, asked to yield by a rebuild, or the lease is lost (throws). */
  private async projectWhileLeased(locks: LockSession): Promise<void> {
    let checkpoint = await readCheckpoint(locks.session, this.name);
    const subscription = this.store.subscribeToAll({
      after: checkpoint,
      batchSize: this.batchSize,
    });
    this.subscription = subscription;
    this.active = true;
    if (this.stopSignal.stopped) await subscription.close();
    const watch = this.watchLease(locks, subscription);
    try {
      const reader = new BatchReader(subscription[Symbol.asyncIterator]());
      for (let batch = await reader.next(this.batchSize); batch;) {
        const started = performance.now();
        checkpoint = await projectBatch(
          locks.session,
          this.projection,
          checkpoint,
          batch,
          LIVE_TABLES,
        );
        this.reportIfSlow(batch.length, performance.now() - started);
        if (batch.length < this.batchSize && this.settleMs > 0) {
          await this.stopSignal.sleep(this.settleMs);
        }
        batch = await reader.next(this.batchSize);
      }
    } finally {
      this.active = false;
      watch.stop();
      this.subscription = undefined;
      await subscription.close();
    }
    if (watch.lost()) throw new LeaseLostError(this.name);
  }

  /** A slow batch holds the read model back: say so, for whoever watches its lag. */
  private reportIfSlow(events: number, ms: number): void {
    if (ms <= this.slowBatchMs) return;
    this.logger.warn(
      `projection ${this.name}: a batch of ${events} events took ${Math.round(ms)} ms to apply and commit`,
    );
  }

  /** Ends the subscription when the session drops or a rebuild asks for the lease. */
  private watchLease(
    locks: LockSession,
    subscription: AllSubscription,
  ): { stop(): void; lost(): boolean } {
    let watching = true;
    let lost = false;
    let checking = false;
    void locks.ended.then(() => {
      if (!watching) return;
      lost = true;
      void subscription.close();
    });
    const timer = setInterval(() => {
      if (checking) return;
      checking = true;
      locks
        .isHeldElsewhere(rebuildIntentKey(this.name))
        .then((wanted) => {
          if (!wanted || !watching) return;
          this.logger.log(`projection ${this.name}: a rebuild wants the lease, yielding`);
          void subscription.close();
        })
        .catch(() => undefined) // a broken session is reported by `ended`
        .finally(() => (checking = false));
    }, this.leaseCheckMs);
    return {
      stop: () => {
        watching = false;
        clearInterval(timer);
      },
      lost: () => lost,
    };
  }

  private async openLocks(): Promise<LockSession> {
    if (this.locks?.isOpen) return this.locks;
    await this.closeLocks();
    const locks = await LockSession.open(this.db);
    this.locks = locks;
    // The session is the projector's own (on PGlite every session is the one backend).
    if (this.db.kind === 'postgres') await locks.session.exec(ASYNCHRONOUS_COMMIT);
    return locks;
  }

  private async closeLocks(): Promise<void> {
    const locks = this.locks;
    this.locks = undefined;
    await locks?.close().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
