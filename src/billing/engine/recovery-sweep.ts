import { Inject, Injectable } from '@nestjs/common';
import type {
  ChargeLookupResult,
  PaymentProvider,
} from '../../payment-provider/payment-provider.port';
import { PAYMENT_PROVIDER } from '../../payment-provider/payment-provider.port';
import { BILLING_CLOCK, type BillingClock } from '../billing-clock';
import { BILLING_TUNING, type BillingTuning } from '../billing-tuning';
import {
  decideInvoice,
  notFoundFinalFrom,
  type ChargeOutcomeReport,
  type Invoice,
  type InvoiceErrorCode,
  type InvoiceEvent,
  type InvoiceState,
  type MarkOutcomeUnknown,
  type ProcessingDeadline,
  type RedriveCharge,
  type WithdrawPastDeadline,
} from '../domain';
import { CommandExecutor, type ExecuteResult } from '../command-executor';
import { redriveEventId } from '../store/invoice-event-data';
import { InvoiceRepository, type LoadedInvoice } from '../store/invoice-repository';
import { invoiceDecider } from '../store/invoice-decider';
import { storeRetry, type StoreRetry } from '../store/retry-while-unavailable';
import { INVOICE_SCAN, type InvoiceRef, type InvoiceScan } from './billing-read-model.port';
import { chargeAttempt } from './charge-attempt';
import { forEachLimited } from './limiter';
import { openAttemptOf, unansweredAttemptOf, type OpenAttempt } from './open-attempt';
import { OutcomeRecorder } from './outcome-recorder';
import { PositionTracker } from './position-tracker';
import { ProviderGate } from './provider/provider-gate';
import { ChargePacer } from './provider/charge-pacer';
import { StopSignal } from '../../shared/stop-signal';
import { BillingLog } from './billing-log';

/** What the sweep did with one stale attempt. */
export type SweepAction =
  | 'settled-by-lookup'
  | 'withdrawn-past-deadline'
  | 'awaiting-deadline'
  | 'awaiting-lookup'
  | 'redriven'
  | 'redriven-unsettled'
  | 'marked-unknown'
  | 'skipped';

const CAUSATION = 'recovery-sweep';

/**
 * Invoices settled at once in a round: a few stream reads, lookups and charges overlap,
 * while the sweep stays a small load beside the billing engine it backs up.
 */
const SETTLING_AT_ONCE = 8;

/** A lookup's answer: a definite outcome, `not_found`, or null when it could not be asked. */
type LookupAnswer = ChargeOutcomeReport | 'not_found' | null;

/**
 * Ends attempts left open longer than the attempt timeout (invariant 2): an instance
 * crashed between claim and outcome, or the provider never answered. It re-reads the
 * stream (the read model may lag; another sweeper may be first) and then:
 * - the provider can say what happened to the key (lookup): record that answer;
 * - the lookup finds nothing and the provider declared a processing deadline that has
 *   passed since the attempt's last possible send: nothing was charged, ChargeWithdrawn
 *   (PROVIDER_DEADLINE_PASSED), the invoice PENDING again for a new attempt and key;
 *   before the deadline, the attempt is left open for a later round, and so is one whose
 *   lookup failed (non-idempotent provider, bounded: mayAskAgain);
 * - idempotent provider: append ChargeRedriven (so no other sweeper re-drives it too),
 *   charge again with the SAME key, record the answer;
 * - otherwise: ChargeOutcomeUnknown, never a retry. A person settles it (ResolveInvoice).
 * When the provider has a lookup, the sweep also asks it about UNKNOWN attempts (a few
 * each round, by invoice id, round the table) and records every definite answer: the
 * late truth settles the invoice without a person. `not_found` settles nothing.
 */
@Injectable()
export class RecoverySweep {
  private readonly logger = new BillingLog(RecoverySweep.name);
  private readonly stopSignal = new StopSignal();
  private readonly retry: StoreRetry;
  private loop: Promise<void> | null = null;
  // Where the scan of UNKNOWN invoices goes on next round; null: from the start.
  private unknownCursor: string | null = null;

  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly executor: CommandExecutor,
    private readonly recorder: OutcomeRecorder,
    private readonly positions: PositionTracker,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(INVOICE_SCAN) private readonly invoiceReadModel: InvoiceScan,
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
    @Inject(BILLING_TUNING) private readonly tuning: BillingTuning,
    private readonly gate: ProviderGate,
    private readonly pacer: ChargePacer,
  ) {
    this.retry = storeRetry({
      delayMs: tuning.storeRetryDelayMs,
      signal: this.stopSignal,
      logger: this.logger,
    });
  }

  start(): void {
    this.loop ??= this.sweepForever();
  }

  async stop(): Promise<void> {
    this.stopSignal.stop();
    await this.loop;
  }

  /**
   * One round: settles up to `sweepBatchSize` stale attempts and, with a lookup, asks
   * about up to as many UNKNOWN ones; what was done to each invoice.
   */
  async sweepOnce(): Promise<Map<string, SweepAction>> {
    const drivenBefore = new Date(this.clock.now().getTime() - this.tuning.attemptTimeoutMs);
    const batch = this.tuning.sweepBatchSize;
    const stale = await this.invoiceReadModel.staleAttempts(drivenBefore, batch);
    const actions = new Map<string, SweepAction>();
    await this.settleEach(stale, actions, (ref) => this.settle(ref));
    if (this.provider.lookup) {
      const unknown = await this.invoiceReadModel.scanByStatus(
        'UNKNOWN',
        this.unknownCursor,
        batch,
      );
      this.unknownCursor = unknown.length < batch ? null : unknown[unknown.length - 1].invoiceId;
      await this.settleEach(unknown, actions, (ref) => this.settleUnknown(ref));
    }
    return actions;
  }

  private async settleEach(
    refs: readonly InvoiceRef[],
    actions: Map<string, SweepAction>,
    settle: (ref: InvoiceRef) => Promise<SweepAction>,
  ): Promise<void> {
    await forEachLimited(refs, SETTLING_AT_ONCE, async (ref) => {
      try {
        actions.set(ref.invoiceId, await settle(ref));
      } catch (error) {
        actions.set(ref.invoiceId, 'skipped');
        this.logger
          .forInvoice(null, ref.invoiceId)
          .error(`Cannot settle invoice ${ref.invoiceId}: ${(error as Error).message}`);
      }
    });
  }

  private async settle(ref: InvoiceRef): Promise<SweepAction> {
    const loaded = await this.retry(`reading invoice ${ref.invoiceId}`, () =>
      this.invoices.load(ref.invoiceId),
    );
    const { state, revision } = loaded;
    if (!state.exists || revision === 'no_stream') return 'skipped';
    const open = openAttemptOf(state, revision, null);
    if (!open || !this.expired(state, open)) return 'skipped';
    // Before the lookup is sent: its `not_found` speaks for this moment at the earliest.
    const askedAt = this.clock.now().toISOString();
    const known = await this.lookup(open);
    if (known === 'not_found' && this.deadline) {
      return this.withdrawPastDeadline(open, loaded, this.deadline, askedAt);
    }
    if (known === null && this.deadline && this.mayAskAgain(open, this.deadline)) {
      return 'awaiting-lookup';
    }
    if (known !== null && known !== 'not_found') {
      await this.recorder.record(open, known, CAUSATION);
      return 'settled-by-lookup';
    }
    return this.provider.idempotent ? this.redrive(open, loaded) : this.markUnknown(open, loaded);
  }

  /**
   * With a declared deadline, a lookup that failed (no answer, the provider down) is asked
   * again in a later round instead of marking the attempt UNKNOWN: once the provider
   * answers, past the deadline its answer is final either way (charged, or not_found:
   * withdrawn). The attempt stays open meanwhile, so nothing is sent under a new key. Up
   * to one attempt timeout past the moment not_found would be final; then UNKNOWN as
   * before. Only on a non-idempotent provider: an idempotent one is re-driven instead.
   */
  private mayAskAgain(open: OpenAttempt, deadline: ProcessingDeadline): boolean {
    if (this.provider.idempotent) return false;
    const lastDrivenAt = open.state.openAttempt?.lastDrivenAt;
    if (lastDrivenAt === undefined) return false;
    const giveUpAt = notFoundFinalFrom(lastDrivenAt, deadline) + this.tuning.attemptTimeoutMs;
    return this.clock.now().getTime() < giveUpAt;
  }

  /** The provider's declared processing deadline as it applies to attempts; null: none. */
  private get deadline(): ProcessingDeadline | null {
    const afterArrivalMs = this.provider.notFoundFinalAfterMs;
    if (afterArrivalMs === undefined || !this.provider.lookup) return null;
    return { afterArrivalMs, sendingWindowMs: this.tuning.attemptTimeoutMs };
  }

  /**
   * `not_found` past the provider's deadline: the attempt is closed, nothing charged. Before
   * it, the request could still be processed: left open (not UNKNOWN) for a later round.
   */
  private async withdrawPastDeadline(
    open: OpenAttempt,
    loaded: LoadedInvoice,
    deadline: ProcessingDeadline,
    notFoundAt: string,
  ): Promise<SweepAction> {
    const command: WithdrawPastDeadline = {
      type: 'WithdrawPastDeadline',
      invoiceId: open.invoiceId,
      attempt: open.attempt,
      deadline,
      notFoundAt,
    };
    const probe = decideInvoice(command, loaded.state, this.executor.context());
    if (!probe.ok && probe.error.code === 'ATTEMPT_NOT_EXPIRED') return 'awaiting-deadline';
    const cause = { runId: open.runId, causation: CAUSATION, causationId: null };
    const outcome = await this.retry(`withdrawing ${open.idempotencyKey}`, () =>
      this.executor.execute(invoiceDecider, command, cause, loaded),
    );
    if (!outcome.ok || !outcome.result) return 'skipped';
    this.positions.saw(outcome.result.position);
    this.logger
      .forAttempt(open)
      .log(
        `${open.idempotencyKey}: the provider has no record of it past its processing deadline; nothing was charged, the invoice is PENDING again`,
      );
    return 'withdrawn-past-deadline';
  }

  /** An UNKNOWN attempt the provider may since know about: its answer is the late truth. */
  private async settleUnknown(ref: InvoiceRef): Promise<SweepAction> {
    const { state, revision } = await this.retry(`reading invoice ${ref.invoiceId}`, () =>
      this.invoices.load(ref.invoiceId),
    );
    if (!state.exists || revision === 'no_stream') return 'skipped';
    const unanswered = unansweredAttemptOf(state, revision);
    if (!unanswered) return 'skipped';
    const known = await this.lookup(unanswered);
    if (known === null || known === 'not_found') return 'skipped';
    await this.recorder.record(unanswered, known, CAUSATION);
    this.logger
      .forAttempt(unanswered)
      .log(`${unanswered.idempotencyKey} was UNKNOWN; the provider says ${known.kind}`);
    return 'settled-by-lookup';
  }

  /** Whether the stream (not the read model) says the attempt is past the timeout. */
  private expired(state: Invoice, open: OpenAttempt): boolean {
    const probe = decideInvoice(
      this.staleAttemptCommand('MarkOutcomeUnknown', open),
      state,
      this.executor.context(),
    );
    return probe.ok;
  }

  private async redrive(open: OpenAttempt, loaded: LoadedInvoice): Promise<SweepAction> {
    const outcome = await this.executeOnStale(
      'RedriveCharge',
      `re-driving ${open.idempotencyKey}`,
      open,
      loaded,
    );
    // Refused: another sweeper re-drove or settled it, or an answer arrived meanwhile.
    if (!outcome.ok || !outcome.state.exists || !outcome.result) return 'skipped';
    this.positions.saw(outcome.result.position);
    const revision = outcome.result.nextExpectedRevision;
    const redriven = openAttemptOf(outcome.state, revision, null);
    if (!redriven) return 'skipped';
    const causationId = redriveEventId(open.idempotencyKey, revision);
    const { customerId, amount } = outcome.state;
    // Through the gate like every charge (docs/design.md §2.6): a request that never left
    // is sent again with the same key, never failed; past half the attempt timeout the
    // attempt is left open and a later round re-drives it.
    const deadline = Date.now() + this.tuning.attemptTimeoutMs / 2;
    const step = await chargeAttempt(
      { invoiceId: open.invoiceId, customerId, amount, idempotencyKey: open.idempotencyKey },
      {
        provider: this.provider,
        gate: this.gate,
        signal: this.stopSignal,
        resendDelayMs: this.tuning.providerRetryDelayMs,
        tooOld: () => Date.now() > deadline,
        // Each send takes a token of the shared rate limit, like the engine's.
        pace: this.pacer.limited ? () => this.pacer.waitToSend(null, this.stopSignal) : null,
      },
      true,
    );
    if (step.kind !== 'record') return 'redriven-unsettled';
    await this.recorder.record({ ...redriven, causationId }, step.report, CAUSATION);
    return 'redriven';
  }

  private async markUnknown(open: OpenAttempt, loaded: LoadedInvoice): Promise<SweepAction> {
    const outcome = await this.executeOnStale(
      'MarkOutcomeUnknown',
      `marking ${open.idempotencyKey} unknown`,
      open,
      loaded,
    );
    if (!outcome.ok || !outcome.result) return 'skipped';
    this.positions.saw(outcome.result.position);
    this.logger
      .forAttempt(open)
      .warn(
        `${open.idempotencyKey} marked UNKNOWN after ${this.tuning.attemptTimeoutMs} ms: a person must resolve it`,
      );
    return 'marked-unknown';
  }

  /** Re-drives a stale attempt, or marks it UNKNOWN, on the stream as the sweep read it. */
  private executeOnStale(
    type: 'RedriveCharge' | 'MarkOutcomeUnknown',
    what: string,
    open: OpenAttempt,
    loaded: LoadedInvoice,
  ): Promise<ExecuteResult<InvoiceState, InvoiceEvent, InvoiceErrorCode>> {
    const cause = { runId: open.runId, causation: CAUSATION, causationId: null };
    return this.retry(what, () =>
      this.executor.execute(invoiceDecider, this.staleAttemptCommand(type, open), cause, loaded),
    );
  }

  /** The command on an attempt left open past the attempt timeout. */
  private staleAttemptCommand(
    type: 'RedriveCharge' | 'MarkOutcomeUnknown',
    open: OpenAttempt,
  ): RedriveCharge | MarkOutcomeUnknown {
    return {
      type,
      invoiceId: open.invoiceId,
      attempt: open.attempt,
      attemptTimeoutMs: this.tuning.attemptTimeoutMs,
    };
  }

  /**
   * A definite answer from the provider's own records, `not_found`, or null when the
   * provider cannot be asked. `not_found` alone settles nothing: a request still in flight
   * could yet be processed, so FAILED could be a lie; only past the provider's declared
   * processing deadline is it final (withdrawPastDeadline).
   */
  private async lookup(attempt: OpenAttempt): Promise<LookupAnswer> {
    if (!this.provider.lookup) return null;
    const key = attempt.idempotencyKey;
    let found: ChargeLookupResult;
    try {
      found = await this.provider.lookup(key);
    } catch (error) {
      this.logger
        .forAttempt(attempt)
        .warn(`Lookup of ${key} failed (${(error as Error).message}); settling without it`);
      return null;
    }
    switch (found) {
      case 'paid':
        return { kind: 'paid' };
      case 'declined':
        return {
          kind: 'failed',
          reason: 'INSUFFICIENT_FUNDS',
          message: 'balance too low (lookup)',
        };
      case 'customer_not_found':
        return {
          kind: 'failed',
          reason: 'CUSTOMER_NOT_FOUND',
          message: 'customer not found (lookup)',
        };
      case 'currency_mismatch':
        return {
          kind: 'failed',
          reason: 'CURRENCY_MISMATCH',
          message: 'currency mismatch (lookup)',
        };
      case 'not_found':
        return 'not_found';
    }
  }

  private async sweepForever(): Promise<void> {
    while (!this.stopSignal.stopped) {
      try {
        const actions = await this.sweepOnce();
        // A full batch that settled something means more may be waiting: go again at once.
        const settled = [...actions.values()].filter((action) => action !== 'skipped').length;
        if (actions.size >= this.tuning.sweepBatchSize && settled > 0) continue;
      } catch (error) {
        this.logger.warn(`Recovery sweep round failed: ${(error as Error).message}`);
      }
      await this.stopSignal.sleep(this.tuning.sweepIntervalMs);
    }
  }
}
