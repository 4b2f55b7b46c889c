import { Inject, Injectable } from '@nestjs/common';
import type { AppendRequest, EventStore } from '../../event-store/event-store.port';
import { EVENT_STORE } from '../../event-store/event-store.port';
import { BILLING_TUNING, type BillingTuning } from '../billing-tuning';
import {
  decideInvoice,
  type ChargeOutcomeReport,
  type RecordChargeOutcome,
  type WithdrawCharge,
  type WithdrawReason,
} from '../domain';
import { CommandExecutor } from '../command-executor';
import { InvoiceRepository } from '../store/invoice-repository';
import { invoiceDecider } from '../store/invoice-decider';
import {
  storeRetry,
  StoppedWhileUnavailableError,
  type StoreRetry,
} from '../store/retry-while-unavailable';
import type { OpenAttempt } from './open-attempt';
import { PositionTracker } from './position-tracker';
import { StopSignal } from '../../shared/stop-signal';
import { BillingLog } from './billing-log';

/**
 * Batches appended at once: while one is in the store's hands the next one fills and is
 * sent, so the store is never idle between batches; more would only contend.
 */
const FLUSHES_AT_ONCE = 2;

/** What became of an outcome handed to the recorder. */
export type RecordResult =
  | 'recorded'
  /** The same answer was already in the stream (a retry, or another writer): done. */
  | 'already-recorded'
  /** The stream holds a different definite answer: logged for a person. */
  | 'conflict'
  /** The service stopped while the store was unreachable: logged; the sweep settles it. */
  | 'abandoned';

/** An outcome handed over, waiting for the next flush. */
interface Queued {
  readonly open: OpenAttempt;
  readonly report: ChargeOutcomeReport;
  readonly causation: string;
  readonly done: (result: RecordResult) => void;
}

/** A queued outcome decided into the append that records it. */
interface Decided extends Queued {
  readonly request: AppendRequest;
}

/**
 * Makes every provider answer durable (invariants 2 and 3). Outcomes are appended in
 * batches (one appendMany, one transaction) at the revision each attempt was opened at.
 * A stream that moved meanwhile (the sweep marked the attempt UNKNOWN, or re-drove it)
 * is re-read and decided again, so a late truth lands at the new revision instead of
 * being dropped. An unreachable store is retried with the same request until it
 * answers; only shutdown (abandon) ends that, and then the outcome is logged loudly.
 */
@Injectable()
export class OutcomeRecorder {
  private readonly logger = new BillingLog(OutcomeRecorder.name);
  private readonly abandonSignal = new StopSignal();
  private readonly retry: StoreRetry;
  private queue: Queued[] = [];
  private flushes = 0;
  private scheduled = false;
  private outstanding = 0;
  private readonly waiters: { below: number; resolve: () => void }[] = [];

  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly executor: CommandExecutor,
    private readonly positions: PositionTracker,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BILLING_TUNING) private readonly tuning: BillingTuning,
  ) {
    this.retry = storeRetry({
      delayMs: tuning.storeRetryDelayMs,
      signal: this.abandonSignal,
      logger: this.logger,
    });
  }

  /** Outcomes handed over and not yet durable (or abandoned). */
  get pending(): number {
    return this.outstanding;
  }

  record(open: OpenAttempt, report: ChargeOutcomeReport, causation: string): Promise<RecordResult> {
    if (this.abandonSignal.stopped) return Promise.resolve(this.abandoned(open, report));
    this.outstanding++;
    return new Promise<RecordResult>((resolve) => {
      const done = (result: RecordResult): void => {
        this.outstanding--;
        this.notify();
        resolve(result);
      };
      this.queue.push({ open, report, causation, done });
      this.schedule();
    });
  }

  /**
   * Withdraws an attempt this instance claimed and knows nothing of reached the provider
   * (invariant 7): ChargeWithdrawn, the invoice PENDING again. Rare (around outages and
   * at shutdown), so one command at a time, not batched. A refusal (the sweep re-drove or
   * settled it meanwhile) is logged: the stream already has its end.
   */
  async withdraw(
    open: OpenAttempt,
    reason: WithdrawReason,
    message: string,
  ): Promise<RecordResult> {
    const command: WithdrawCharge = {
      type: 'WithdrawCharge',
      invoiceId: open.invoiceId,
      attempt: open.attempt,
      reason,
      message,
    };
    const cause = { runId: open.runId, causation: 'billing-engine', causationId: open.causationId };
    try {
      const outcome = await this.retry(`withdrawing ${open.idempotencyKey}`, () =>
        this.executor.execute(invoiceDecider, command, cause),
      );
      if (outcome.ok) {
        if (outcome.result) this.positions.saw(outcome.result.position);
        return 'recorded';
      }
      this.logger
        .forAttempt(open)
        .warn(
          `${open.idempotencyKey} not withdrawn (${reason}): ${outcome.error.code}: ${outcome.error.message}`,
        );
      return 'conflict';
    } catch (error) {
      this.logger
        .forAttempt(open)
        .error(
          `Withdrawing ${open.idempotencyKey} (${reason}) failed: ${(error as Error).message}; the sweep settles it`,
        );
      return 'abandoned';
    }
  }

  /** Resolves once fewer than `count` outcomes are outstanding: back-pressure for the engine. */
  whenBelow(count: number): Promise<void> {
    if (this.outstanding < count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ below: count, resolve }));
  }

  /** Stops retrying an unreachable store; what is still outstanding is logged and dropped. */
  abandon(): void {
    this.abandonSignal.stop();
  }

  private schedule(): void {
    if (this.scheduled || this.flushes >= FLUSHES_AT_ONCE) return;
    this.scheduled = true;
    // One macrotask later: outcomes that arrive together go in one appendMany, and are
    // decided only then, after the charges that ended in the same turn have started
    // their successors (a slot waits for no decision).
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.flushes < FLUSHES_AT_ONCE) {
        const batch = this.decide(this.queue.splice(0, this.tuning.outcomeBatchSize));
        if (batch.length > 0) void this.flush(batch);
      }
    });
  }

  /** Each outcome's events, at the revision its attempt was opened at. */
  private decide(queued: readonly Queued[]): Decided[] {
    const decided: Decided[] = [];
    for (const item of queued) {
      const request = this.appendRequest(item);
      // Null: our view already has an answer for this attempt; let the stream decide.
      if (request) decided.push({ ...item, request });
      else void this.recordSlowly(item).then(item.done);
    }
    return decided;
  }

  private appendRequest({ open, report, causation }: Queued): AppendRequest | null {
    try {
      const command = outcomeCommand(open, report);
      const decision = decideInvoice(command, open.state, this.executor.context());
      if (!decision.ok) return null;
      const metadata = this.executor.metadata({
        runId: open.runId,
        causation,
        causationId: open.causationId,
      });
      return this.invoices.appendRequest(open.invoiceId, decision.events, open.revision, metadata);
    } catch (error) {
      // A bug, not an answer: keep the provider's word and take the slow path, which
      // re-reads the stream and logs what keeps failing.
      this.logger
        .forAttempt(open)
        .error(
          `Deciding ${describe(report)} for ${open.idempotencyKey} failed: ${(error as Error).message}`,
        );
      return null;
    }
  }

  private async flush(batch: Decided[]): Promise<void> {
    this.flushes++;
    try {
      const results = await this.retry(`appending ${batch.length} charge outcomes`, () =>
        this.store.appendMany(batch.map((item) => item.request)),
      );
      results.forEach((result, i) => {
        if (result.success) {
          this.positions.saw(result.position);
          batch[i].done('recorded');
        } else {
          void this.recordSlowly(batch[i]).then(batch[i].done);
        }
      });
    } catch (error) {
      for (const item of batch) {
        if (error instanceof StoppedWhileUnavailableError) {
          item.done(this.abandoned(item.open, item.report));
        } else {
          void this.recordSlowly(item).then(item.done);
        }
      }
    } finally {
      this.flushes--;
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** Re-read, decide, append; until the stream holds an answer or the service stops. */
  private async recordSlowly(item: Queued): Promise<RecordResult> {
    const { open, report, causation } = item;
    const cause = { runId: open.runId, causation, causationId: open.causationId };
    for (let failures = 1; ; failures++) {
      try {
        const outcome = await this.retry(`recording the outcome of ${open.idempotencyKey}`, () =>
          this.executor.execute(invoiceDecider, outcomeCommand(open, report), cause),
        );
        if (outcome.ok) {
          if (outcome.result) this.positions.saw(outcome.result.position);
          return 'recorded';
        }
        if (outcome.error.code === 'OUTCOME_ALREADY_RECORDED') return 'already-recorded';
        this.logger
          .forAttempt(open)
          .error(
            `Outcome ${describe(report)} of ${open.idempotencyKey} not recorded: ${outcome.error.code}: ${outcome.error.message}`,
          );
        return 'conflict';
      } catch (error) {
        if (error instanceof StoppedWhileUnavailableError || this.abandonSignal.stopped) {
          return this.abandoned(open, report);
        }
        // Not a refusal and not an outage (too many concurrent writers, a bug): keep the
        // fact and try again rather than drop what the provider said.
        this.logger
          .forAttempt(open)
          .error(
            `Recording ${describe(report)} for ${open.idempotencyKey} failed (${(error as Error).message}); retrying`,
          );
        await this.abandonSignal.sleep(this.tuning.storeRetryDelayMs(failures));
      }
    }
  }

  private abandoned(open: OpenAttempt, report: ChargeOutcomeReport): RecordResult {
    this.logger
      .forAttempt(open)
      .error(
        `NOT RECORDED: the provider answered ${describe(report)} for ${open.idempotencyKey} ` +
          `(invoice ${open.invoiceId}, attempt ${open.attempt}), but the service stopped before the ` +
          'event store took it. The attempt stays open; the recovery sweep will settle it.',
      );
    return 'abandoned';
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (this.outstanding >= waiter.below) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

function outcomeCommand(open: OpenAttempt, report: ChargeOutcomeReport): RecordChargeOutcome {
  return {
    type: 'RecordChargeOutcome',
    invoiceId: open.invoiceId,
    attempt: open.attempt,
    outcome: report,
  };
}

function describe(report: ChargeOutcomeReport): string {
  return report.kind === 'failed' ? `failed (${report.reason})` : report.kind;
}
