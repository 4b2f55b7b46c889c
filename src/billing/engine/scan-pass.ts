import type { Logger } from '@nestjs/common';
import type { InvoiceSnapshot } from './billing-read-model.port';
import type { ClaimLead } from './claim-lead';
import type { Limiter } from './limiter';
import type { OpenAttempt } from './open-attempt';
import type { ClaimedPage } from './page-claimer';
import type { StopSignal } from '../../shared/stop-signal';

/** What one pass found: claims won, invoices held elsewhere, invoices not examined. */
export interface ScanResult {
  claimed: number;
  busy: number;
  troubled: number;
}

/** The run a pass bills: its id, and its billing date (it charges what is due by then). */
export interface RunToBill {
  readonly runId: string;
  /** "YYYY-MM-DD". */
  readonly billingDate: string;
}

/** What a pass needs from the engine that runs it. */
export interface ScanPassPorts {
  readonly pageSize: number;
  readonly stopSignal: StopSignal;
  readonly claimLead: ClaimLead;
  /** The charge slots: one is acquired for each claim before it is charged. */
  readonly limiter: Limiter;
  readonly logger: Logger;
  /** A random PENDING invoice to start from; null when there is none. */
  pickStart(): Promise<string | null>;
  /**
   * A page of the PENDING invoices due by the run's billing date, after `cursor` (null:
   * the first), up to `upTo` (null: the last).
   */
  listPending(
    run: RunToBill,
    cursor: string | null,
    upTo: string | null,
  ): Promise<InvoiceSnapshot[]>;
  /** Back-pressure before each claim; false when the engine stops. */
  readyToClaim(): Promise<boolean>;
  /** Claims the invoices of a page for the run. */
  claim(run: RunToBill, snapshots: readonly InvoiceSnapshot[]): Promise<ClaimedPage>;
  /** Charges a claim this instance won, in the slot acquired for it (and releases it). */
  charge(open: OpenAttempt): Promise<void>;
}

/** A page of a pass; `upTo`: the segment's bound; `last`: the pass ends with it. */
interface ScannedPage {
  readonly snapshots: InvoiceSnapshot[];
  readonly upTo: string | null;
  readonly last: boolean;
}

/**
 * One pass of a run over the PENDING invoices due by its billing date, as a pipeline: pages are read ahead (a
 * keyset scan does not depend on the claims), and page n+1 is claimed while the last
 * claims of page n wait for charge slots, early enough that the slots never wait for the
 * claim round trip (ClaimLead), while claims never run more than a page ahead of the
 * charges.
 *
 * The pass starts at a random PENDING invoice and wraps around: instances working the
 * same run start far apart instead of racing for the same pages, where the one ahead
 * would win every claim and the others would only follow it.
 */
export class ScanPass {
  private readonly result: ScanResult = { claimed: 0, busy: 0, troubled: 0 };
  private readonly charging = new Set<Promise<void>>();
  private pivot: string | null = null;

  constructor(
    private readonly toBill: RunToBill,
    private readonly engine: ScanPassPorts,
  ) {}

  async run(): Promise<ScanResult> {
    this.pivot = await this.engine.pickStart();
    // From after the pivot to the end, then from the start up to the pivot.
    const first = this.read(this.pivot, null);
    let following = this.readAfter(first);
    let claiming = this.claim(first);
    for (let page = await claiming; page; page = await claiming) {
      const next = following;
      following = this.readAfter(next);
      // The next page is claimed once this one's last claims are about to get slots: no
      // slot waits for a claim round trip, and a crash strands at most one page.
      let nextClaim: Promise<ClaimedPage | null> | null = null;
      const claimNext = () => (nextClaim ??= this.claim(next));
      this.count(page);
      await this.chargeAll(page.claims, claimNext);
      claiming = claimNext();
    }
    // Pages read ahead when the pass ends (or stops) must not surface as unhandled errors.
    following.catch(() => undefined);
    await Promise.all([...this.charging]);
    return this.result;
  }

  private async read(cursor: string | null, upTo: string | null): Promise<ScannedPage> {
    const snapshots = await this.engine.listPending(this.toBill, cursor, upTo);
    const wrapped = upTo !== null || this.pivot === null;
    return { snapshots, upTo, last: snapshots.length < this.engine.pageSize && wrapped };
  }

  /** The page after `page`, or null past the pass's last page. */
  private readAfter(page: Promise<ScannedPage | null>): Promise<ScannedPage | null> {
    return page.then((scanned) => {
      if (scanned === null || scanned.last) return null;
      const { snapshots, upTo } = scanned;
      return snapshots.length === this.engine.pageSize
        ? this.read(snapshots[snapshots.length - 1].invoiceId, upTo)
        : this.read(null, this.pivot);
    });
  }

  /** Claims a page once it is read and the engine is ready; null ends the pass. */
  private claim(page: Promise<ScannedPage | null>): Promise<ClaimedPage | null> {
    return page.then(async (scanned) => {
      if (scanned === null || this.engine.stopSignal.stopped) return null;
      const { snapshots } = scanned;
      if (snapshots.length === 0) return { claims: [], busy: 0, troubled: 0 };
      if (!(await this.engine.readyToClaim())) return null;
      return this.claimSnapshots(snapshots);
    });
  }

  private async claimSnapshots(snapshots: readonly InvoiceSnapshot[]): Promise<ClaimedPage> {
    const started = performance.now();
    try {
      const claimed = await this.engine.claim(this.toBill, snapshots);
      this.engine.claimLead.claimTook(performance.now() - started);
      return claimed;
    } catch (error) {
      this.engine.logger.error(
        `Claiming a page of run ${this.toBill.runId} failed: ${(error as Error).message}`,
      );
      return { claims: [], busy: 0, troubled: snapshots.length };
    }
  }

  /** Starts a charge for each claim as slots free up; `claimNext` when ClaimLead says. */
  private async chargeAll(claims: readonly OpenAttempt[], claimNext: () => void): Promise<void> {
    for (const [index, open] of claims.entries()) {
      if (claims.length - index <= this.engine.claimLead.claims) claimNext();
      await this.engine.limiter.acquire();
      const charge: Promise<void> = this.engine
        .charge(open)
        .finally(() => this.charging.delete(charge));
      this.charging.add(charge);
    }
  }

  private count(page: ClaimedPage): void {
    this.result.claimed += page.claims.length;
    this.result.busy += page.busy;
    this.result.troubled += page.troubled;
  }
}
