import type { InvoiceSnapshot } from './billing-read-model.port';
import type { OpenAttempt } from './open-attempt';
import type { ClaimedPage } from './page-claimer';
import type { StopSignal } from '../../shared/stop-signal';
import { BillingLog } from './billing-log';

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
  /**
   * The retry scan's run: it charges the FAILED invoices whose scheduled retry is due,
   * each claim a retry (docs/design.md §2.11), instead of the PENDING ones.
   */
  readonly retries?: boolean;
}

/** What a pass needs from the engine that runs it. */
export interface ScanPassPorts {
  readonly pageSize: number;
  readonly stopSignal: StopSignal;
  readonly logger: BillingLog;
  /** A random invoice of those the run charges to start from; null when there is none. */
  pickStart(run: RunToBill): Promise<string | null>;
  /**
   * A page of the PENDING invoices due by the run's billing date, after `cursor` (null:
   * the first), up to `upTo` (null: the last).
   */
  listPending(
    run: RunToBill,
    cursor: string | null,
    upTo: string | null,
  ): Promise<InvoiceSnapshot[]>;
  /**
   * Charge slots for the next claim, at least one and at most `wanted`, once the engine
   * may claim (free slots, back-pressure, the provider's gate); 0 when the engine stops.
   */
  takeSlots(wanted: number): Promise<number>;
  /** Gives back slots a claim did not use (invoices lost to another claimer). */
  releaseSlots(count: number): void;
  /** Claims the invoices of a page for the run. */
  claim(run: RunToBill, snapshots: readonly InvoiceSnapshot[]): Promise<ClaimedPage>;
  /** Charges a claim this instance won, in the slot taken for it (and releases it). */
  charge(open: OpenAttempt): Promise<void>;
}

/** A page of a pass; `upTo`: the segment's bound; `last`: the pass ends with it. */
interface ScannedPage {
  readonly snapshots: InvoiceSnapshot[];
  readonly upTo: string | null;
  readonly last: boolean;
}

/**
 * Claims in the air at once: the next claim is made while the last one's round trip runs,
 * so slots that free up meanwhile do not wait for it; more would only contend.
 */
const CLAIMS_AT_ONCE = 2;

/**
 * One pass of a run over the PENDING invoices due by its billing date. Pages are read ahead (a keyset scan does
 * not depend on the claims); invoices are claimed just in time (docs/design.md §2.7): a
 * claim takes only as many invoices of the page as the engine has free charge slots the
 * provider's gate lets it use, so every open attempt of this instance is a call in flight
 * or about to be, and a crash or an outage strands no more than those.
 *
 * The pass starts at a random PENDING invoice and wraps around: instances working the
 * same run start far apart instead of racing for the same pages, where the one ahead
 * would win every claim and the others would only follow it. When a claim is lost to
 * another claimer anyway (this instance has run into another's stretch), the pass starts
 * again at another random PENDING invoice instead of following it.
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
    let reading: Promise<ScannedPage | null> = this.startAnywhere();
    for (let page = await reading; page; page = await reading) {
      reading = this.readAfter(page);
      const collided = await this.claimAndCharge(page.snapshots);
      if (this.engine.stopSignal.stopped) break;
      if (collided) {
        reading.catch(() => undefined);
        reading = this.startAnywhere();
      }
    }
    // A page read ahead and dropped must not surface as an unhandled error.
    reading.catch(() => undefined);
    await Promise.all([...this.charging]);
    return this.result;
  }

  /**
   * The first page after a random PENDING invoice, the pivot: the pass goes from there to
   * the end, then from the start up to the pivot. Also where a pass goes once it has run
   * into another instance: the keyset scan skips what the other has claimed and lands
   * on its frontier, and one that follows it from there loses most of its claims to it.
   */
  private async startAnywhere(): Promise<ScannedPage> {
    this.pivot = await this.engine.pickStart(this.toBill);
    return this.read(this.pivot, null);
  }

  private async read(cursor: string | null, upTo: string | null): Promise<ScannedPage> {
    const snapshots = await this.engine.listPending(this.toBill, cursor, upTo);
    const wrapped = upTo !== null || this.pivot === null;
    return { snapshots, upTo, last: snapshots.length < this.engine.pageSize && wrapped };
  }

  /** The page after `scanned`, or null past the pass's last page. */
  private async readAfter(scanned: ScannedPage): Promise<ScannedPage | null> {
    if (scanned.last) return null;
    const { snapshots, upTo } = scanned;
    return snapshots.length === this.engine.pageSize
      ? this.read(snapshots[snapshots.length - 1].invoiceId, upTo)
      : this.read(null, this.pivot);
  }

  /**
   * Claims the page's invoices a few at a time, as slots free up, and charges each claim
   * won. True when a claim was lost to another claimer: the rest of the page is stale.
   */
  private async claimAndCharge(snapshots: readonly InvoiceSnapshot[]): Promise<boolean> {
    const claiming = new Set<Promise<void>>();
    const lost = { claims: 0 };
    let next = 0;
    while (next < snapshots.length && lost.claims === 0) {
      const slots = await this.engine.takeSlots(snapshots.length - next);
      if (slots === 0) break;
      if (lost.claims > 0) {
        this.engine.releaseSlots(slots);
        break;
      }
      const batch = snapshots.slice(next, (next += slots));
      const claim: Promise<void> = this.claimBatch(batch)
        .then((page) => void (lost.claims += page.lost))
        .finally(() => claiming.delete(claim));
      claiming.add(claim);
      if (claiming.size >= CLAIMS_AT_ONCE) await Promise.race(claiming);
    }
    await Promise.all([...claiming]);
    return lost.claims > 0;
  }

  /** Claims `batch` in the slots taken for it; slots not used are given back. */
  private async claimBatch(batch: readonly InvoiceSnapshot[]): Promise<ClaimedPage> {
    const page = await this.claimSnapshots(batch);
    this.count(page);
    this.engine.releaseSlots(batch.length - page.claims.length);
    for (const open of page.claims) {
      const charge: Promise<void> = this.engine
        .charge(open)
        .finally(() => this.charging.delete(charge));
      this.charging.add(charge);
    }
    return page;
  }

  private async claimSnapshots(snapshots: readonly InvoiceSnapshot[]): Promise<ClaimedPage> {
    try {
      return await this.engine.claim(this.toBill, snapshots);
    } catch (error) {
      this.engine.logger
        .forRun(this.toBill.runId)
        .error(`Claiming a page of run ${this.toBill.runId} failed: ${(error as Error).message}`);
      return { claims: [], busy: 0, lost: 0, troubled: snapshots.length };
    }
  }

  private count(page: ClaimedPage): void {
    this.result.claimed += page.claims.length;
    this.result.busy += page.busy;
    this.result.troubled += page.troubled;
  }
}
