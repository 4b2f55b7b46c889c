/**
 * How early the next page's claims must start so that no charge slot waits for a claim
 * round trip. While a page is claimed, the slots keep charging the current page's last
 * claims, `concurrency` per charge time; so the claim must start when
 * `concurrency × (claim time ÷ charge time)` claims are left, plus one round of slots to
 * spare. Both times are moving averages of what this engine saw.
 *
 * Never less than one round of slots, never more than a page: claims run at most one page
 * ahead of the charges, so a crash strands at most a page of open attempts for the sweep.
 */
export class ClaimLead {
  private claimMs: number | undefined;
  private chargeMs: number | undefined;

  constructor(
    private readonly concurrency: number,
    private readonly pageSize: number,
    /** Weight of the newest sample in the moving averages. */
    private readonly weight = 0.2,
  ) {}

  /** A page's claim round trip took `ms`. */
  claimTook(ms: number): void {
    this.claimMs = this.average(this.claimMs, ms);
  }

  /**
   * A charge took `ms`. Its back-offs before retries are included though it gives its
   * slot back meanwhile: with a few percent of charges retried, the next claim starts a
   * little early, which costs nothing.
   */
  chargeTook(ms: number): void {
    this.chargeMs = this.average(this.chargeMs, ms);
  }

  /** Claims of the current page still waiting for slots when the next page's claim starts. */
  get claims(): number {
    if (this.claimMs === undefined || this.chargeMs === undefined) return this.concurrency;
    const rounds = 1 + Math.ceil(this.claimMs / Math.max(this.chargeMs, 0.001));
    return Math.max(this.concurrency, Math.min(this.pageSize, this.concurrency * rounds));
  }

  private average(mean: number | undefined, sample: number): number {
    return mean === undefined ? sample : mean + this.weight * (sample - mean);
  }
}
