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
   * A token not used within this of its earliest possible time in the bucket is dropped
   * and another taken: sends late by more would bunch up and overrun the rate in the next
   * second. A reservation whose round trip took longer is dropped whole (`slow`).
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
 * Why a token went unused: `expired`, not handed to a send by its `until` (claims lost
 * to another instance, an idle instance); `late`, its send came later than that (a slow
 * claim, an event loop that woke late); `slow`, its reservation's round trip to the
 * bucket took longer than `staleMs`, so none of its tokens could be sent in time.
 */
export type DroppedTokenReason = 'expired' | 'late' | 'slow';

/**
 * One token of the rate limit, in this process's clock: a send may go from `at` until
 * `until`. The bucket's time for it lies between the two bounds the round trip gives
 * (asked + wait, answered + wait): `at` is the later, so a send is never early, and
 * `until` is `staleMs` after the earlier, so a send is never more than `staleMs` late.
 */
export interface SendToken {
  readonly at: number;
  readonly until: number;
}

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
 * bucket (ChargeRateLimit) a few at a time and hands them out (SendToken). The engine
 * takes a token before it claims an invoice (a claim is never made that could not be
 * sent in time) and waits for that time before sending; a resend or the sweep's re-drive
 * takes one just before sending. Every send to the provider so passes the limit.
 *
 * Times are this process's monotonic clock (`now`); the bucket's own clock is the
 * database's, and only durations cross between them (SendToken says how).
 */
export class ChargePacer {
  private readonly logger = new BillingLog(ChargePacer.name);
  /** Reserved and not handed out, ascending by `at`. */
  private readonly free: SendToken[] = [];
  private reserving: Promise<void> | null = null;
  /** Reservations in a row whose round trip took longer than `staleMs`. */
  private slowInARow = 0;
  /** Warnings said already: each is said once per pacer. */
  private readonly warned = new Set<'slow' | 'far'>();

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
   * Tokens for up to `wanted` claims (at least one), ascending: the tokens of a
   * reservation whose first is due within the lead; waits until one is. Empty when
   * stopped first.
   */
  async take(wanted: number, signal: StopSignal): Promise<SendToken[]> {
    const started = this.now();
    try {
      return await this.due(wanted, signal);
    } finally {
      this.onWait(this.now() - started);
    }
  }

  /** Tokens a claim did not use (the invoices went to another instance). */
  giveBack(tokens: readonly SendToken[]): void {
    if (tokens.length === 0) return;
    this.free.push(...tokens);
    this.free.sort((a, b) => a.at - b.at);
  }

  /**
   * Waits until a charge may be sent: at `token`'s time, taken with its claim, or (null,
   * or that token past its `until`) at the time of a token taken now. False when stopped
   * first.
   */
  async waitToSend(token: SendToken | null, signal: StopSignal): Promise<boolean> {
    const started = this.now();
    let current = token;
    try {
      while (!signal.stopped) {
        if (current !== null && this.now() > current.until) {
          this.onDropped(1, 'late');
          current = null;
        }
        if (current === null) {
          [current = null] = await this.due(1, signal);
          if (current === null) return false;
        }
        const wait = current.at - this.now();
        if (wait > 0 && !(await this.sleep(wait, signal))) return false;
        // Woken too late (a busy event loop): sending now would bunch up; take another.
        if (this.now() <= current.until) return true;
        this.onDropped(1, 'late');
        current = null;
      }
      return false;
    } finally {
      this.onWait(this.now() - started);
    }
  }

  private async due(wanted: number, signal: StopSignal): Promise<SendToken[]> {
    while (!signal.stopped) {
      this.dropStale();
      const horizon = this.now() + this.settings.leadMs;
      // Once the first is due within the lead, the reservation's tokens go together: one
      // claim for them all, not one per token.
      if (this.free.length > 0 && this.free[0].at <= horizon) {
        return this.free.splice(0, Math.min(wanted, this.free.length));
      }
      if (this.free.length > 0) await this.sleep(this.free[0].at - horizon, signal);
      else await this.reserve(this.reservationSize(wanted), signal);
    }
    return [];
  }

  /** After a reservation dropped as slow, one token: the next may be slow too. */
  private reservationSize(wanted: number): number {
    return this.slowInARow === 1 ? 1 : Math.min(wanted, this.settings.tokensPerReservation);
  }

  private dropStale(): void {
    const now = this.now();
    const before = this.free.length;
    // `until` is not in `at` order (it depends on each reservation's round trip).
    const fresh = this.free.filter((token) => now <= token.until);
    if (fresh.length < before) {
      this.free.splice(0, before, ...fresh);
      this.onDropped(before - fresh.length, 'expired');
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
      const asked = this.now();
      const waits = await this.bucket.reserve(limit, count);
      const answered = this.now();
      const { staleMs } = this.settings;
      // The bucket counted the waits from some moment of the round trip: each token's
      // time in the bucket lies in [asked + wait, answered + wait].
      const roundTrip = answered - asked;
      this.slowInARow = roundTrip > staleMs ? this.slowInARow + 1 : 0;
      if (this.slowInARow === 1) {
        this.droppedSlow(waits.length, roundTrip);
        return;
      }
      // Slow twice in a row (the one-token probe too): the database is far, not briefly
      // busy. Its tokens are used, counted from the answer, rather than none ever sent.
      if (this.slowInARow > 1) this.warnFar(roundTrip);
      const from = this.slowInARow > 1 ? answered : asked;
      this.giveBack(waits.map((ms) => ({ at: answered + ms, until: from + ms + staleMs })));
    } catch (error) {
      this.logger.warn(
        `Cannot reserve charges from the shared rate limit (${(error as Error).message}); trying again`,
      );
      await this.sleep(this.settings.retryMs, signal);
    }
  }

  /**
   * A round trip always this slow would drop every reservation, and only the metric
   * would show it: said once, not for each.
   */
  private droppedSlow(tokens: number, roundTripMs: number): void {
    this.onDropped(tokens, 'slow');
    this.warnOnce(
      'slow',
      `A reservation from the shared rate limit took ${Math.round(roundTripMs)} ms, more than ` +
        `the ${this.settings.staleMs} ms its tokens may be late: dropped, and the next asks for ` +
        `one token; counted as reason "slow" in antaeus_provider_rate_limit_tokens_dropped_total ` +
        `(logged once)`,
    );
  }

  /** Said once: the ceiling is looser while the database stays this far. */
  private warnFar(roundTripMs: number): void {
    this.warnOnce(
      'far',
      `Reservations from the shared rate limit keep taking more than ${this.settings.staleMs} ms ` +
        `(${Math.round(roundTripMs)} ms): their tokens are used, counted from the answer, so ` +
        `sends may run ahead of PAYMENT_PROVIDER_MAX_RPS by up to a round trip's worth of the ` +
        `rate in a second (logged once)`,
    );
  }

  private warnOnce(kind: 'slow' | 'far', message: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    this.logger.warn(message);
  }
}
