import { Inject, Injectable } from '@nestjs/common';
import type { Position } from '../../event-store/position';
import {
  PAYMENT_PROVIDER,
  type PaymentProvider,
} from '../../payment-provider/payment-provider.port';
import { BILLING_CLOCK, type BillingClock } from '../billing-clock';
import { BILLING_TUNING, type BillingTuning } from '../billing-tuning';
import type { BillingRunCounts } from '../domain';
import { CommandExecutor } from '../command-executor';
import { BillingRunRepository } from '../store/billing-run-repository';
import { billingRunDecider } from '../store/billing-run-decider';
import { storeRetry, type StoreRetry } from '../store/retry-while-unavailable';
import {
  BILLING_RUN_PROGRESS,
  INVOICE_SCAN,
  PROJECTION_STATUS,
  type BillingRunProgress,
  type BillingRunProgressView,
  type InvoiceScan,
  type ProjectionStatus,
} from './billing-read-model.port';
import { chargeAttempt, type FinalChargeStep } from './charge-attempt';
import { Limiter } from './limiter';
import type { OpenAttempt } from './open-attempt';
import { OutcomeRecorder } from './outcome-recorder';
import { PageClaimer } from './page-claimer';
import { PositionTracker } from './position-tracker';
import { ProviderGate } from './provider/provider-gate';
import { ChargePacer, type SendToken } from './provider/charge-pacer';
import { ScanPass, type RunToBill, type ScanPassPorts, type ScanResult } from './scan-pass';
import { StopSignal } from '../../shared/stop-signal';
import { BillingLog } from './billing-log';

export type RunWorkResult = 'completed' | 'already-completed' | 'not-found' | 'stopped';

/**
 * How many batches of outcomes may wait for the store, beyond a round of answers, before
 * claiming pauses: enough to keep the flushes full, few enough that a slow store slows
 * the claims, not the queue.
 */
const QUEUED_OUTCOME_BATCHES = 4;

/**
 * Charges every PENDING invoice due by a run's billing date, on every instance at once: in each pass (a
 * ScanPass) an instance pages through the read model's PENDING invoices (never all in
 * memory) and claims them just in time: as many as it has free charge slots (at most
 * `concurrency`), only when the ProviderGate would let them go, in one appendMany; it
 * calls the provider only for the claims it won and hands each answer to the
 * OutcomeRecorder (docs/design.md §2.6, §2.7). A run is completed when a full pass finds
 * nothing to claim and none of its attempts is open.
 */
@Injectable()
export class BillingEngine {
  private readonly logger = new BillingLog(BillingEngine.name);
  private readonly stopSignal = new StopSignal();
  private readonly limiter: Limiter;
  private readonly charges = new Set<Promise<void>>();
  /**
   * Tokens taken from the rate limit for claims in progress, ascending by time: each
   * charge a claim won sends at the earliest (tokens are alike); a claim gives back the
   * rest.
   */
  private readonly sendTokens: SendToken[] = [];
  private readonly retry: StoreRetry;
  private readonly scanPorts: ScanPassPorts;
  private abandoned = false;

  constructor(
    private readonly runs: BillingRunRepository,
    private readonly claimer: PageClaimer,
    private readonly recorder: OutcomeRecorder,
    private readonly positions: PositionTracker,
    private readonly executor: CommandExecutor,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(INVOICE_SCAN) private readonly invoiceReadModel: InvoiceScan,
    @Inject(BILLING_RUN_PROGRESS) private readonly runReadModel: BillingRunProgress,
    @Inject(PROJECTION_STATUS) private readonly projections: ProjectionStatus,
    @Inject(BILLING_TUNING) private readonly tuning: BillingTuning,
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
    private readonly gate: ProviderGate,
    private readonly pacer: ChargePacer,
  ) {
    this.limiter = new Limiter(tuning.concurrency);
    this.retry = storeRetry({
      delayMs: tuning.storeRetryDelayMs,
      signal: this.stopSignal,
      logger: this.logger,
    });
    this.scanPorts = this.scanPassPorts();
  }

  private readonly working = new Map<string, Promise<RunWorkResult>>();

  get stopping(): boolean {
    return this.stopSignal.stopped;
  }

  /**
   * Works a run until it is completed (here or elsewhere) or the engine stops. A run
   * already being worked here is joined, not worked twice: two loops of one process would
   * only race each other for the same pages.
   */
  workRun(runId: string): Promise<RunWorkResult> {
    const existing = this.working.get(runId);
    if (existing) return existing;
    const work = this.work(runId).finally(() => this.working.delete(runId));
    this.working.set(runId, work);
    return work;
  }

  private async work(runId: string): Promise<RunWorkResult> {
    const run = await this.retry(`reading billing run ${runId}`, () => this.runs.load(runId));
    if (!run.state.exists) return 'not-found';
    if (run.state.status === 'COMPLETED') return 'already-completed';
    // The read model must show every invoice issued before the run started.
    if (!(await this.waitForProjections(run.startedPosition))) return 'stopped';
    const { billingDate, trigger } = run.state;
    const toBill = { runId, billingDate, ...(trigger === 'retry' ? { retries: true } : {}) };
    while (!this.stopSignal.stopped) {
      const scan = await this.scan(toBill);
      // Our own claims and outcomes must be visible before the next scan reads PENDING.
      if (!(await this.waitForProjections(this.positions.current))) break;
      if (this.stopSignal.stopped) break;
      if (scan.claimed > 0) continue;
      if (scan.busy === 0 && scan.troubled === 0 && (await this.completeIfDone(runId))) {
        return 'completed';
      }
      // Attempts still open (here, elsewhere, or waiting for the sweep): look again later.
      await this.stopSignal.sleep(this.tuning.runPollIntervalMs);
    }
    return 'stopped';
  }

  /**
   * Stops claiming at once; charges already claimed finish within `graceMs` and their
   * outcomes are recorded. After that, whatever is still in flight is abandoned: the
   * attempts stay open and the recovery sweep settles them.
   */
  async stop(graceMs = this.tuning.shutdownGraceMs): Promise<void> {
    this.stopSignal.stop();
    const settled = Promise.all([...this.charges]).then(() => this.recorder.whenBelow(1));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([settled, timeout]);
    clearTimeout(timer);
    this.abandoned = true;
    this.recorder.abandon();
  }

  private scan(run: RunToBill): Promise<ScanResult> {
    return new ScanPass(run, this.scanPorts).run();
  }

  /** The engine's part in each ScanPass. */
  private scanPassPorts(): ScanPassPorts {
    return {
      pageSize: this.tuning.pageSize,
      stopSignal: this.stopSignal,
      logger: this.logger,
      pickStart: (run) =>
        this.retry('picking where to start', () =>
          this.invoiceReadModel.randomInStatus(run.retries ? 'FAILED' : 'PENDING'),
        ),
      listPending: (run, cursor, upTo) =>
        run.retries
          ? this.retry('listing the retries due', () =>
              this.invoiceReadModel.scanRetriesDue(
                this.clock.now(),
                cursor,
                this.tuning.pageSize,
                upTo,
              ),
            )
          : this.retry('listing PENDING invoices', () =>
              this.invoiceReadModel.scanDue(run.billingDate, cursor, this.tuning.pageSize, upTo),
            ),
      takeSlots: (wanted) => this.takeSlots(wanted),
      releaseSlots: (count) => {
        this.giveBackSendTokens(count);
        this.releaseSlots(count);
      },
      claim: (run, snapshots) => this.claimer.claim(run, snapshots, this.stopSignal),
      charge: (open) => this.startCharge(open),
    };
  }

  /**
   * Charge slots for the next claim, up to `wanted`: waits for a free slot, for the
   * back-pressure (the store slow to take outcomes, the read models far behind) and for
   * the gate (breaker closed or ready to probe, no back-off); then takes every slot free
   * now that the gate allows (one to probe), and with PAYMENT_PROVIDER_MAX_RPS a token
   * for each before the claim, so no claim is made that could not be sent. 0 when stopped.
   */
  private async takeSlots(wanted: number): Promise<number> {
    while (!this.stopSignal.stopped) {
      await this.limiter.acquire();
      if (!(await this.readyToClaim())) break;
      const held = 1 + this.limiter.tryAcquire(wanted - 1);
      const allowed = this.gate.claimable(held);
      this.releaseSlots(held - allowed);
      if (allowed === 0) continue;
      const claims = this.pacer.limited ? await this.paceSlots(allowed) : allowed;
      if (claims > 0 || this.stopSignal.stopped) {
        this.gate.claiming(claims);
        return claims;
      }
    }
    this.releaseSlots(1);
    return 0;
  }

  /**
   * Tokens for up to `slots` claims (slots not paced are released): waits for the
   * shared rate limit, then asks the gate again, which may have closed meanwhile.
   */
  private async paceSlots(slots: number): Promise<number> {
    const tokens = await this.pacer.take(slots, this.stopSignal);
    const allowed = this.stopSignal.stopped ? 0 : this.gate.claimable(tokens.length);
    this.pacer.giveBack(tokens.slice(allowed));
    this.releaseSlots(slots - allowed);
    const kept = tokens.slice(0, allowed);
    const last = this.sendTokens[this.sendTokens.length - 1];
    this.sendTokens.push(...kept);
    if (kept.length > 0 && last !== undefined && kept[0].at < last.at) {
      this.sendTokens.sort((a, b) => a.at - b.at);
    }
    return allowed;
  }

  /** The latest `count` tokens, of claims lost to another instance. */
  private giveBackSendTokens(count: number): void {
    if (count > 0 && this.pacer.limited) {
      this.pacer.giveBack(this.sendTokens.splice(-count, count));
    }
  }

  private releaseSlots(count: number): void {
    for (let i = 0; i < count; i++) this.limiter.release();
  }

  /** False when stopped. */
  private async readyToClaim(): Promise<boolean> {
    // A round of answers, one per slot, may arrive together (calls sent together end
    // together) and is no sign of a slow store: bounded by batches alone, the claims
    // stopped for the store at every round once the slots outnumbered the bound.
    const queued = this.tuning.concurrency + this.tuning.outcomeBatchSize * QUEUED_OUTCOME_BATCHES;
    await this.recorder.whenBelow(queued);
    if (!(await this.gate.whenOpen(this.stopSignal))) return false;
    return this.paceToReadModels();
  }

  /** Charges a claim in the slot taken for it; shutdown waits for the charges still running. */
  private startCharge(open: OpenAttempt): Promise<void> {
    const charge: Promise<void> = this.charge(open).finally(() => this.charges.delete(charge));
    this.charges.add(charge);
    return charge;
  }

  /** The provider is called only here, only for a claim this instance won. */
  private async charge(open: OpenAttempt): Promise<void> {
    let step: FinalChargeStep;
    const token = this.pacer.limited ? (this.sendTokens.shift() ?? null) : null;
    try {
      if (this.abandoned) {
        this.logger
          .forAttempt(open)
          .warn(`Not charging ${open.idempotencyKey}: shutting down; the sweep settles it`);
        return;
      }
      const { invoiceId, idempotencyKey } = open;
      const { customerId, amount } = open.state;
      step = await chargeAttempt(
        { invoiceId, customerId, amount, idempotencyKey },
        {
          provider: this.provider,
          gate: this.gate,
          signal: this.stopSignal,
          resendDelayMs: this.tuning.providerRetryDelayMs,
          // The sweep may act on an attempt this old: calling the provider now could
          // charge an invoice it already marked UNKNOWN.
          tooOld: () => this.claimTooOld(open),
          // The first send at the time taken with the claim; a resend takes a new one.
          pace: this.pacer.limited
            ? (sends) => this.pacer.waitToSend(sends === 0 ? token : null, this.stopSignal)
            : null,
        },
      );
    } catch (error) {
      // chargeAttempt classifies every provider error; this is a bug: leave the attempt
      // open for the sweep rather than guess an outcome.
      this.logger
        .forAttempt(open)
        .error(`Charging ${open.idempotencyKey} failed: ${(error as Error).message}`);
      return;
    } finally {
      this.limiter.release();
    }
    if (step.kind === 'record') {
      await this.recorder.record(open, step.report, 'billing-engine');
    } else if (step.kind === 'withdraw') {
      await this.recorder.withdraw(open, step.reason, step.message);
    } else {
      this.logger
        .forAttempt(open)
        .warn(`${open.idempotencyKey}: ${step.message}; the sweep settles it`);
    }
  }

  /** Past half the attempt timeout since it was claimed or re-driven. */
  private claimTooOld(open: OpenAttempt): boolean {
    const drivenAt = Date.parse(open.state.openAttempt?.lastDrivenAt ?? '');
    return this.clock.now().getTime() - drivenAt > this.tuning.attemptTimeoutMs / 2;
  }

  private async completeIfDone(runId: string): Promise<boolean> {
    const view = await this.retry(`reading billing run ${runId}`, () =>
      this.runReadModel.get(runId),
    );
    if (view?.status === 'COMPLETED') return true;
    if (!view || view.counts.processing > 0) return false;
    const cause = { runId, causation: 'billing-engine', causationId: null };
    const command = { type: 'CompleteBillingRun', runId, counts: countsOf(view) } as const;
    // A conflict is re-read and decided again: another instance that completed the run
    // first makes this one RUN_ALREADY_COMPLETED, and the run is done either way.
    const completed = await this.retry(`completing billing run ${runId}`, () =>
      this.executor.execute(billingRunDecider, command, cause),
    );
    if (!completed.ok) return completed.error.code === 'RUN_ALREADY_COMPLETED';
    if (completed.result) this.positions.saw(completed.result.position);
    this.logger
      .forRun(runId)
      .log(`Billing run ${runId} completed: ${JSON.stringify(countsOf(view))}`);
    return true;
  }

  /**
   * Waits until the read models show what this instance had written `readModelLagMs`
   * ago. Billing then never outruns them by more than that (and a page's charging): what
   * operators see stays current during a run, and the projectors get their share of the
   * machine instead of falling ever further behind. False when stopped.
   */
  private async paceToReadModels(): Promise<boolean> {
    if (this.tuning.readModelLagMs > 0) {
      const written = this.positions.seenBefore(this.tuning.readModelLagMs);
      if (written !== null && !(await this.waitForProjections(written))) return false;
    }
    return !this.stopSignal.stopped;
  }

  private async waitForProjections(position: Position | null): Promise<boolean> {
    if (position === null) return true;
    for (let retry = 1; !this.stopSignal.stopped; retry++) {
      try {
        await this.projections.waitFor(position, this.tuning.projectionWaitMs);
        return true;
      } catch (error) {
        this.logger.warn(`Projections have not caught up yet: ${(error as Error).message}`);
        await this.stopSignal.sleep(this.tuning.storeRetryDelayMs(retry));
      }
    }
    return false;
  }
}

function countsOf(view: BillingRunProgressView): BillingRunCounts {
  const { processing, paid, failed, unknown } = view.counts;
  return { claimed: processing + paid + failed + unknown, paid, failed, unknown };
}
