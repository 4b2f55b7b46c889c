import type { StopSignal } from '../../../shared/stop-signal';
import {
  CircuitBreaker,
  type BreakerCall,
  type BreakerSettings,
  type BreakerTransition,
} from './circuit-breaker';
import { ProviderBackoff } from './provider-backoff';
import { BillingLog } from '../billing-log';

/** How this instance sees the provider now: for the run view, the CLI and health. */
export type ProviderStatus =
  | { readonly state: 'available' }
  /** The breaker is open (or probing): nothing new is sent. */
  | { readonly state: 'unavailable'; readonly since: string; readonly probing: boolean }
  /** The provider asked to be left alone (429 / Retry-After) until `until`. */
  | { readonly state: 'backing-off'; readonly until: string };

/** A permit to send one charge; hand it back (the same object) with the answer's meaning. */
export type SendPermit = BreakerCall;

export type PermitAnswer =
  | { readonly ok: true; readonly permit: SendPermit }
  | { readonly ok: false; readonly why: 'unavailable' | 'backing-off'; readonly waitMs: number };

export interface ProviderGateSettings {
  readonly breaker: BreakerSettings;
  /** The longest Retry-After honoured. */
  readonly maxBackoffMs: number;
  /** The pause after a 429 without Retry-After. */
  readonly defaultBackoffMs: number;
  /** How often a waiter looks again while a probe, or the calls a failure holds for, are in flight. */
  readonly probePollMs: number;
}

/**
 * The provider as one instance sees it: a circuit breaker and the pause the provider
 * asked for (docs/design.md §2.6, §2.7: invariants 6 and 7). Nothing is sent, and
 * nothing claimed, unless the gate permits; each transition is logged once.
 */
export class ProviderGate {
  private readonly logger = new BillingLog('ProviderGate');
  private readonly breaker: CircuitBreaker;
  private readonly backoff: ProviderBackoff;
  /** Charges of this instance waiting in permit(): the next probe or trial is one of theirs. */
  private waiting = 0;
  /**
   * A claim was let take the breaker's one trial call (cold, or after a failure's hold):
   * no other claim until its permit is taken at its send, or until this (a claim lost to
   * another instance never sends).
   */
  private trialClaimedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly settings: ProviderGateSettings,
    private readonly now: () => number,
  ) {
    this.breaker = new CircuitBreaker(settings.breaker, now, (transition) =>
      this.logTransition(transition),
    );
    this.backoff = new ProviderBackoff(now, settings.maxBackoffMs);
  }

  /** A permit now, or why not and for how long at least. */
  tryPermit(): PermitAnswer {
    const pause = this.backoff.remainingMs;
    if (pause > 0) return { ok: false, why: 'backing-off', waitMs: pause };
    const permit = this.breaker.tryAcquire();
    if (permit.ok) {
      this.trialClaimedUntil = Number.NEGATIVE_INFINITY;
      return { ok: true, permit: permit.call };
    }
    return {
      ok: false,
      why: 'unavailable',
      waitMs: permit.retryInMs ?? this.settings.probePollMs,
    };
  }

  /**
   * Waits for a permit; null when stopped first, or once `giveUp` says so (looked at least
   * every probePollMs: an attempt must not outwait the recovery sweep's timeout).
   */
  async permit(
    signal: StopSignal,
    giveUp: () => boolean = () => false,
  ): Promise<SendPermit | null> {
    this.waiting++;
    try {
      while (!signal.stopped && !giveUp()) {
        const answer = this.tryPermit();
        if (answer.ok) return answer.permit;
        await signal.sleep(Math.min(answer.waitMs, this.settings.probePollMs));
      }
      return null;
    } finally {
      this.waiting--;
    }
  }

  /**
   * A permit for a claim's first send: now, or, if a failure holds new calls (the breaker
   * waiting for the calls in flight), once the hold ends: sent if the breaker closed again
   * or this is its trial call, refused if it opened. Null when stopped first, or once
   * `giveUp` says so (looked at least every probePollMs: a hold lasts as long as its trial
   * calls are answered 429, each a back-off, and a claim never sent must not outwait the
   * recovery sweep's timeout).
   */
  async firstPermit(
    signal: StopSignal,
    giveUp: () => boolean = () => false,
  ): Promise<PermitAnswer | null> {
    this.waiting++;
    try {
      while (!signal.stopped && !giveUp()) {
        const answer = this.tryPermit();
        if (answer.ok || !this.breaker.holding) return answer;
        await signal.sleep(this.settings.probePollMs);
      }
      return null;
    } finally {
      this.waiting--;
    }
  }

  /**
   * Waits until a new claim could be sent (breaker closed and not holding after a
   * failure, or ready to probe or to send a trial call with no charge of this instance
   * already waiting to be it; no pause), without taking a permit: a claim is made only
   * then. False when stopped first.
   */
  async whenOpen(signal: StopSignal): Promise<boolean> {
    while (!signal.stopped) {
      const wait = this.waitMs();
      if (wait === 0) return true;
      await signal.sleep(wait);
    }
    return false;
  }

  /** The provider gave an answer (paid, declined, refused): it is up. */
  answered(permit: SendPermit): void {
    this.breaker.succeeded(permit);
  }

  /**
   * A refused connection or a 503 (`transient`), or another 5xx, a reset or a timeout
   * (`ambiguous`); `retryAfterMs` if it said.
   */
  failed(
    permit: SendPermit,
    kind: 'transient' | 'ambiguous',
    retryAfterMs: number | null = null,
  ): void {
    this.breaker.failed(permit, kind);
    if (retryAfterMs !== null) this.holdFor(retryAfterMs);
  }

  /** A 429: the provider is up but we go too fast; the whole instance pauses. */
  throttled(permit: SendPermit, retryAfterMs: number | null): void {
    this.breaker.released(permit);
    this.holdFor(retryAfterMs ?? this.settings.defaultBackoffMs);
  }

  /** The permit was not used (shutdown before sending). */
  unused(permit: SendPermit): void {
    this.breaker.released(permit);
  }

  /**
   * How many of `slots` free charge slots a claim may fill now: all while the breaker is
   * closed; one when it may probe or send a trial call (after a failure, or cold) and no
   * charge or claim already waits to be it; none while it is open, holds after a failure
   * for the calls in flight, or the provider asked for a pause. Only looks: `claiming`
   * says what was decided.
   */
  claimable(slots: number): number {
    if (this.backoff.remainingMs > 0) return 0;
    if (this.breaker.newCalls > 1) return slots;
    return slots > 0 && this.waitMs() === 0 ? 1 : 0;
  }

  /**
   * A claim of `count` charges (from `claimable`) is being made. A round claimed while
   * warm keeps the breaker warm for a claim's lifetime; a claim that takes the one trial
   * call (cold, or after a failure's hold) reserves it until its send, or for `openMs` if
   * the claim is lost to another instance and never sends.
   */
  claiming(count: number): void {
    if (count === 0 || this.breaker.state !== 'closed') return;
    if (this.breaker.newCalls > 1) this.breaker.claimed();
    else this.trialClaimedUntil = this.now() + this.settings.breaker.openMs;
  }

  status(): ProviderStatus {
    const since = this.breaker.unavailableSince;
    if (since !== null) {
      return {
        state: 'unavailable',
        since: new Date(since).toISOString(),
        probing: this.breaker.state === 'half-open',
      };
    }
    const until = this.backoff.pausedUntil;
    if (until !== null) return { state: 'backing-off', until: new Date(until).toISOString() };
    return { state: 'available' };
  }

  private waitMs(): number {
    const pause = this.backoff.remainingMs;
    if (pause > 0) return pause;
    const allowed = this.breaker.newCalls;
    if (allowed > 1) return 0;
    if (this.waiting > 0) return this.settings.probePollMs;
    if (this.breaker.state === 'closed') {
      if (allowed !== 1) return this.settings.probePollMs;
      // The trial is another claim's until it is sent.
      return Math.min(this.settings.probePollMs, Math.max(0, this.trialClaimedUntil - this.now()));
    }
    const probe = this.breaker.tryAcquire();
    if (!probe.ok) return probe.retryInMs ?? this.settings.probePollMs;
    // Only looking: the probe slot goes back for the charge that will use it.
    this.breaker.released(probe.call);
    return 0;
  }

  private holdFor(ms: number): void {
    const paused = this.backoff.pausedUntil !== null;
    if (this.backoff.holdFor(ms) && !paused) {
      this.logger.warn(`Provider asked to back off: nothing is sent for ${Math.round(ms)} ms`);
    }
  }

  private logTransition({ from, to, unavailableSince }: BreakerTransition): void {
    const since =
      unavailableSince === null ? '' : ` since ${new Date(unavailableSince).toISOString()}`;
    if (to === 'open') {
      this.logger.warn(`Provider unavailable${since}: circuit breaker open (was ${from}), waiting`);
    } else if (to === 'half-open') {
      this.logger.log(`Provider unavailable${since}: probing with one charge`);
    } else {
      this.logger.log('Provider available again: circuit breaker closed');
    }
  }
}
