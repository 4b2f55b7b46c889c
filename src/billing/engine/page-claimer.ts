import { Inject, Injectable, Logger } from '@nestjs/common';
import type { InvoiceRef } from '../../../projections/read-models';
import type { AppendRequest, EventStore } from '../../event-store/event-store.port';
import { EVENT_STORE } from '../../event-store/event-store.port';
import { BILLING_TUNING, type BillingTuning } from '../billing-tuning';
import { decideInvoice, type ClaimCharge, type Invoice } from '../domain';
import { InvoiceCommandExecutor } from '../invoice-command-executor';
import { applyEvents, InvoiceRepository, type LoadedInvoice } from '../store/invoice-repository';
import { deterministicEventId } from '../store/deterministic-event-id';
import { retryWhileUnavailable } from '../store/retry-while-unavailable';
import { openAttemptOf, type OpenAttempt } from './open-attempt';
import { PositionTracker } from './position-tracker';
import type { StopSignal } from './stop-signal';

/** What claiming a page gave: attempts this instance won, and whether work remains elsewhere. */
export interface ClaimedPage {
  readonly claims: OpenAttempt[];
  /** Invoices of the page some writer holds PROCESSING: the run is not finished yet. */
  readonly busy: number;
  /** Invoices that could not be examined (e.g. a corrupt stream): logged, rescanned later. */
  readonly troubled: number;
}

interface Candidate {
  readonly loaded: LoadedInvoice & { readonly state: Invoice };
  readonly request: AppendRequest;
  readonly after: Invoice;
}

/**
 * Claims a page of invoices the read model listed as PENDING: reads each stream, decides
 * ClaimCharge on what the stream says (the read model may lag), and appends every
 * ChargeAttempted in one appendMany, each at the revision its invoice was seen PENDING
 * (invariant 1). A stream that moved meanwhile is read again and decided again: someone
 * else claimed it, or it changed since the read.
 */
@Injectable()
export class PageClaimer {
  private readonly logger = new Logger(PageClaimer.name);

  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly executor: InvoiceCommandExecutor,
    private readonly positions: PositionTracker,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BILLING_TUNING) private readonly tuning: BillingTuning,
  ) {}

  async claim(
    runId: string,
    refs: readonly InvoiceRef[],
    signal: StopSignal,
  ): Promise<ClaimedPage> {
    const page = { claims: [] as OpenAttempt[], busy: 0, troubled: 0 };
    const candidates: Candidate[] = [];
    const loadedAll = await retryWhileUnavailable(
      () => this.invoices.loadMany(refs.map((ref) => ref.invoiceId)),
      {
        what: `reading ${refs.length} invoices`,
        delayMs: this.tuning.storeRetryDelayMs,
        signal,
      },
    );
    loadedAll.forEach((loaded, index) => {
      try {
        if (loaded instanceof Error) throw loaded;
        const candidate = this.candidate(runId, loaded);
        if (candidate) candidates.push(candidate);
        else if (loaded.state.exists && loaded.state.status === 'PROCESSING') page.busy++;
      } catch (error) {
        page.troubled++;
        this.logger.error(
          `Cannot claim invoice ${refs[index].invoiceId}: ${(error as Error).message}`,
        );
      }
    });
    if (candidates.length === 0) return page;
    const requests = candidates.map((candidate) => candidate.request);
    const results = await retryWhileUnavailable(() => this.store.appendMany(requests), {
      what: `claiming ${requests.length} invoices`,
      delayMs: this.tuning.storeRetryDelayMs,
      signal,
      logger: this.logger,
    });
    const lost: Candidate[] = [];
    results.forEach((result, i) => {
      const { loaded, request, after } = candidates[i];
      if (!result.success) return void lost.push(candidates[i]);
      this.positions.saw(result.position);
      const open = openAttemptOf(after, result.nextExpectedRevision, request.events[0].id);
      if (open) page.claims.push(open);
      else this.logger.error(`claim of invoice ${loaded.invoiceId} left no open attempt`);
    });
    for (const candidate of lost) await this.claimAgain(runId, candidate, page, signal);
    return page;
  }

  private candidate(runId: string, loaded: LoadedInvoice): Candidate | null {
    const { state } = loaded;
    if (!state.exists || state.status !== 'PENDING' || loaded.revision === 'no_stream') return null;
    const decision = decideInvoice(
      claimCommand(state.invoiceId, runId),
      state,
      this.executor.context(),
    );
    if (!decision.ok) return null;
    const metadata = this.executor.metadata({
      runId,
      causation: 'billing-engine',
      causationId: null,
    });
    return {
      loaded: { ...loaded, state },
      request: this.invoices.appendRequest(
        state.invoiceId,
        decision.events,
        loaded.revision,
        metadata,
      ),
      after: applyEvents(state, decision.events) as Invoice,
    };
  }

  /** Lost the batch append for this stream: read it again and decide again. */
  private async claimAgain(
    runId: string,
    candidate: Candidate,
    page: { claims: OpenAttempt[]; busy: number; troubled: number },
    signal: StopSignal,
  ): Promise<void> {
    const invoiceId = candidate.loaded.invoiceId;
    try {
      const outcome = await retryWhileUnavailable(
        () =>
          this.executor.execute(claimCommand(invoiceId, runId), {
            runId,
            causation: 'billing-engine',
            causationId: null,
          }),
        { what: `claiming invoice ${invoiceId}`, delayMs: this.tuning.storeRetryDelayMs, signal },
      );
      if (outcome.ok && outcome.state.exists) {
        this.positions.saw(outcome.result.position);
        const revision = outcome.result.nextExpectedRevision;
        const open = openAttemptOf(outcome.state, revision, claimEventId(outcome.state));
        if (open) page.claims.push(open);
        return;
      }
      if (!outcome.ok) {
        this.positions.saw(outcome.loaded.position);
        if (outcome.loaded.state.exists && outcome.loaded.state.status === 'PROCESSING')
          page.busy++;
      }
    } catch (error) {
      page.troubled++;
      this.logger.error(`Cannot claim invoice ${invoiceId}: ${(error as Error).message}`);
    }
  }
}

function claimEventId(state: Invoice): string | null {
  const key = state.openAttempt?.idempotencyKey;
  return key ? deterministicEventId('ChargeAttempted', key) : null;
}

function claimCommand(invoiceId: string, runId: string): ClaimCharge {
  return { type: 'ClaimCharge', invoiceId, runId };
}
