import type { StopSignal } from '../../../shared/stop-signal';
import type { ChargeRateLimit, RateLimit } from '../charge-rate-limit.port';
import { BillingLog } from '../billing-log';

/** How one instance draws on the shared rate limit. */
export interface ChargePacerSettings {
  /** PAYMENT_PROVIDER_MAX_RPS as a bucket; null: no limit. */
  readonly limit: RateLimit | null;
  /** Tokens reserved per round trip to the shared bucket, at most (no more than asked). */
  readonly tokensPerReservation: number;
  /**
   * A claim is made for a reservation's tokens once the first is due within this: the
   * claim's round trip overlaps the wait.
   */
  readonly leadMs: number;
  /**
   * A token not used within this of its time is dropped and another taken: sends late
   * by more would bunch up and overrun the rate in the next second.
   */
  readonly staleMs: number;
  /** Pause before asking the shared bucket again after it failed. */
  readonly retryMs: number;
}

export interface ChargePacerOptions {
  /** A monotonic clock in ms (tests move it). */
  readonly now?: () => number;
  /** Sleeps `ms`; false when stopped first. */
  readonly sleep?: (ms: number, signal: StopSignal) => Promise<boolean>;
  /** Each wait for the limit, in ms (for the metric). */
  readonly onWait?: (ms: number) => void;
  /** Tokens reserved and never used (for the metric): capacity of the shared limit lost. */
  readonly onDropped?: (tokens: number, reason: DroppedTokenReason) => void;
}

/**
 * Why a token went unused: `expired`, not handed to a send within `staleMs` of its time
 * (claims lost to another instance, an idle instance); `late`, its send came later than
 * that (a slow claim, an event loop that woke late).
 */
export type DroppedTokenReason = 'expired' | 'late';

/** The pacing for PAYMENT_PROVIDER_MAX_RPS, from the rate (docs/design.md §2.6). */
export function chargePacerSettings(maxRps: number | null): ChargePacerSettings {
  return {
    // No burst: after an idle spell one charge may go at once, then one every 1/rate.
    limit: maxRps === null ? null : { ratePerSecond: maxRps, burst: 1 },
    // 100 ms of the rate a round trip: claims of that many invoices, ten round trips a
    // second for all instances together.
    tokensPerReservation: maxRps === null ? 1 : Math.max(1, Math.ceil(maxRps / 10)),
    leadMs: 200,
    // 6 sends a second over the rate at 200/s, at most; less and a busy event loop, which
    // wakes timers late, would drop too many tokens.
    staleMs: 30,
    retryMs: 200,
  };
}

/**
 * One instance's share of the provider's rate limit: it reserves tokens from the shared
 * bucket (ChargeRateLimit) a few at a time and hands out their send times. The engine
 * takes a token before it claims an invoice (a claim is never made that could not be
 * sent in time) and waits for that time before sending; a resend or the sweep's re-drive
 * takes one just before sending. Every send to the provider so passes the limit.
 *
 * Times are this process's monotonic clock (`now`); the bucket's own clock is the
 * database's, and only durations cross between them.
 */
export class ChargePacer {
  private readonly logger = new BillingLog(ChargePacer.name);
  /** Reserved and not handed out, ascending. */
  private readonly free: number[] = [];
  private reserving: Promise<void> | null = null;

  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: StopSignal) => Promise<boolean>;
  private readonly onWait: (ms: number) => void;
  private readonly onDropped: (tokens: number, reason: DroppedTokenReason) => void;

  constructor(
    private readonly settings: ChargePacerSettings,
    private readonly bucket: ChargeRateLimit,
    options: ChargePacerOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms, signal) => signal.sleep(ms));
    this.onWait = options.onWait ?? (() => undefined);
    this.onDropped = options.onDropped ?? (() => undefined);
  }

  get limited(): boolean {
    return this.settings.limit !== null;
  }

  /**
   * Send times for up to `wanted` claims (at least one): the tokens of a reservation
   * whose first is due within the lead; waits until one is. Empty when stopped first.
   */
  async take(wanted: number, signal: StopSignal): Promise<number[]> {
    const started = this.now();
    try {
      return await this.due(wanted, signal);
    } finally {
      this.onWait(this.now() - started);
    }
  }

  /** Send times a claim did not use (the invoices went to another instance). */
  giveBack(times: readonly number[]): void {
    if (times.length === 0) return;
    this.free.push(...times);
    this.free.sort((a, b) => a - b);
  }

  /**
   * Waits until a charge may be sent: at `time`, taken with its claim, or (null, or that
   * time long past) at a token's time taken now. False when stopped first.
   */
  async waitToSend(time: number | null, signal: StopSignal): Promise<boolean> {
    const started = this.now();
    let at = time;
    try {
      while (!signal.stopped) {
        if (at !== null && this.now() - at > this.settings.staleMs) {
          this.onDropped(1, 'late');
          at = null;
        }
        if (at === null) {
          [at = null] = await this.due(1, signal);
          if (at === null) return false;
        }
        const wait = at - this.now();
        if (wait > 0 && !(await this.sleep(wait, signal))) return false;
        // Woken too late (a busy event loop): sending now would bunch up; take another.
        if (this.now() - at <= this.settings.staleMs) return true;
        this.onDropped(1, 'late');
        at = null;
      }
      return false;
    } finally {
      this.onWait(this.now() - started);
    }
  }

  private async due(wanted: number, signal: StopSignal): Promise<number[]> {
    while (!signal.stopped) {
      this.dropStale();
      const horizon = this.now() + this.settings.leadMs;
      // Once the first is due within the lead, the reservation's tokens go together: one
      // claim for them all, not one per token.
      if (this.free.length > 0 && this.free[0] <= horizon) {
        return this.free.splice(0, Math.min(wanted, this.free.length));
      }
      if (this.free.length > 0) await this.sleep(this.free[0] - horizon, signal);
      else await this.reserve(Math.min(wanted, this.settings.tokensPerReservation), signal);
    }
    return [];
  }

  private dropStale(): void {
    const oldest = this.now() - this.settings.staleMs;
    let stale = 0;
    while (stale < this.free.length && this.free[stale] < oldest) stale++;
    if (stale > 0) {
      this.free.splice(0, stale);
      this.onDropped(stale, 'expired');
    }
  }

  /** One reservation at a time, shared by everyone waiting for it. */
  private reserve(count: number, signal: StopSignal): Promise<void> {
    this.reserving ??= this.reserveNow(count, signal).finally(() => (this.reserving = null));
    return this.reserving;
  }

  private async reserveNow(count: number, signal: StopSignal): Promise<void> {
    const limit = this.settings.limit;
    if (limit === null) throw new Error('ChargePacer: no limit to reserve from');
    try {
      const waits = await this.bucket.reserve(limit, count);
      const answered = this.now();
      this.giveBack(waits.map((ms) => answered + ms));
    } catch (error) {
      this.logger.warn(
        `Cannot reserve charges from the shared rate limit (${(error as Error).message}); trying again`,
      );
      await this.sleep(this.settings.retryMs, signal);
    }
  }
}
