import { Inject, Injectable } from '@nestjs/common';
import type { InvoiceSnapshot } from './billing-read-model.port';
import type { AppendRequest, EventStore } from '../../event-store/event-store.port';
import { EVENT_STORE } from '../../event-store/event-store.port';
import { BILLING_TUNING, type BillingTuning } from '../billing-tuning';
import { decideInvoice, type ClaimCharge, type Invoice } from '../domain';
import { CommandExecutor } from '../command-executor';
import { applyEvents, InvoiceRepository } from '../store/invoice-repository';
import { retryWhileUnavailable } from '../store/retry-while-unavailable';
import { openAttemptOf, type OpenAttempt } from './open-attempt';
import { PositionTracker } from './position-tracker';
import type { RunToBill } from './scan-pass';
import type { StopSignal } from '../../shared/stop-signal';
import { BillingLog } from './billing-log';

/** What claiming a page gave: attempts this instance won, and whether work remains elsewhere. */
export interface ClaimedPage {
  readonly claims: OpenAttempt[];
  /**
   * Invoices of the page some writer holds PROCESSING, or whose stream moved since the
   * snapshot: the run is not finished yet, and they are looked at again.
   */
  readonly busy: number;
  /** Of those, claims another writer won first: the stream moved since the snapshot. */
  readonly lost: number;
  /** Invoices that could not be examined (e.g. a corrupt stream): logged, rescanned later. */
  readonly troubled: number;
}

interface Candidate {
  readonly snapshot: InvoiceSnapshot;
  readonly request: AppendRequest;
  readonly after: Invoice;
}

/**
 * Claims a page of invoices the read model listed as PENDING: decides ClaimCharge on each
 * snapshot (the read model's fold of the stream up to a revision) and appends every
 * ChargeAttempted in one appendMany, each at its snapshot's revision (invariant 1): the
 * append succeeds only if the stream is still exactly what was decided on. A stream that
 * has moved (the read model lags, or another claimer won) is read from the store and
 * decided again. No stream is read for the common case: one round trip per page.
 */
@Injectable()
export class PageClaimer {
  private readonly logger = new BillingLog(PageClaimer.name);

  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly executor: CommandExecutor,
    private readonly positions: PositionTracker,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BILLING_TUNING) private readonly tuning: BillingTuning,
  ) {}

  async claim(
    run: RunToBill,
    snapshots: readonly InvoiceSnapshot[],
    signal: StopSignal,
  ): Promise<ClaimedPage> {
    const page = { claims: [] as OpenAttempt[], busy: 0, lost: 0, troubled: 0 };
    const candidates: Candidate[] = [];
    for (const snapshot of snapshots) {
      try {
        const candidate = this.candidate(run, snapshot);
        if (candidate) candidates.push(candidate);
        else if (snapshot.state.status === 'PROCESSING') page.busy++;
      } catch (error) {
        page.troubled++;
        this.logger
          .forInvoice(run.runId, snapshot.invoiceId)
          .error(`Cannot claim invoice ${snapshot.invoiceId}: ${(error as Error).message}`);
      }
    }
    if (candidates.length === 0) return page;
    const requests = candidates.map((candidate) => candidate.request);
    const results = await retryWhileUnavailable(() => this.store.appendMany(requests), {
      what: `claiming ${requests.length} invoices`,
      delayMs: this.tuning.storeRetryDelayMs,
      signal,
      logger: this.logger,
    });
    results.forEach((result, i) => {
      const { snapshot, request, after } = candidates[i];
      // The stream has moved since the snapshot: most likely another instance claimed it.
      // Not read again here (one round trip each, and the winner is already ahead):
      // counted busy, so the run looks again on its next pass, with fresh snapshots, and
      // lost, so this pass goes elsewhere (ScanPass).
      if (!result.success) {
        page.lost++;
        return void page.busy++;
      }
      this.positions.saw(result.position);
      const open = openAttemptOf(after, result.nextExpectedRevision, request.events[0].id);
      if (open) page.claims.push(open);
      else
        this.logger
          .forInvoice(run.runId, snapshot.invoiceId)
          .error(`claim of invoice ${snapshot.invoiceId} left no open attempt`);
    });
    return page;
  }

  private candidate(run: RunToBill, snapshot: InvoiceSnapshot): Candidate | null {
    const { state } = snapshot;
    const { runId } = run;
    const command = claimCommand(run, state);
    if (command === null) return null;
    const decision = decideInvoice(command, state, this.executor.context());
    if (!decision.ok) return null;
    const metadata = this.executor.metadata({
      runId,
      causation: 'billing-engine',
      causationId: null,
    });
    return {
      snapshot,
      request: this.invoices.appendRequest(
        state.invoiceId,
        decision.events,
        snapshot.revision,
        metadata,
      ),
      after: applyEvents(state, decision.events) as Invoice,
    };
  }
}

/**
 * A run claims a PENDING invoice due by its billing date; the retry scan's run claims the
 * scheduled retry of a FAILED one (the domain refuses it unless it is still due).
 */
function claimCommand(run: RunToBill, state: Invoice): ClaimCharge | null {
  const { runId, billingDate } = run;
  if (!run.retries) {
    if (state.status !== 'PENDING') return null;
    return { type: 'ClaimCharge', invoiceId: state.invoiceId, runId, dueBy: billingDate };
  }
  const next = state.status === 'FAILED' ? (state.nextRetry ?? null) : null;
  if (next === null) return null;
  return { type: 'ClaimCharge', invoiceId: state.invoiceId, runId, retry: next.retryNumber };
}
