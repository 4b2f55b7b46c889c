export type BreakerState = 'closed' | 'open' | 'half-open';

/** When the breaker opens, and how long it stays open (PAYMENT_PROVIDER_BREAKER_*). */
export interface BreakerSettings {
  /**
   * Opens after this many failed calls in a row; with `holdAfterAmbiguous`, sooner when every
   * call in flight at an ambiguous failure has failed (at 1 in flight, the first opens it).
   */
  readonly consecutiveFailures: number;
  /** Or when at least this share of the last `window` calls failed (0 < ratio <= 1). */
  readonly failureRatio: number;
  /** Calls the ratio looks at; it applies only once this many were seen since closing. */
  readonly window: number;
  /** Wait after opening before the first probe; doubled after each failed probe... */
  readonly openMs: number;
  /** ...up to this. */
  readonly maxOpenMs: number;
  /**
   * After an ambiguous failure, start no new call until the calls in flight end (true on
   * a non-idempotent provider, where each ambiguous answer is an UNKNOWN invoice).
   */
  readonly holdAfterAmbiguous: boolean;
}

/**
 * With `holdAfterAmbiguous`, a closed breaker with nothing in flight that has heard
 * nothing from the provider for this many `openMs` (5 s by default), or never, is cold:
 * its next call goes alone, as a trial.
 */
const COLD_AFTER_OPEN_SPANS = 5;

/** How long without an answer, and nothing in flight, makes a breaker cold. */
export function coldAfterMs(settings: Pick<BreakerSettings, 'openMs'>): number {
  return COLD_AFTER_OPEN_SPANS * settings.openMs;
}

export interface BreakerTransition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly at: number;
  /** Since when the provider is unavailable (null once closed again). */
  readonly unavailableSince: number | null;
}

/**
 * One call the breaker let through; its answer is told back with this same object
 * (`probe`: the one trial call of a half-open breaker).
 */
export interface BreakerCall {
  readonly probe: boolean;
}

/** May a charge be sent now: yes, with the call to report back, or not yet. */
export type BreakerPermit =
  | { readonly ok: true; readonly call: BreakerCall }
  /** `retryInMs` null: wait for a call in flight (the probe, or the calls a failure holds for). */
  | { readonly ok: false; readonly retryInMs: number | null };

/**
 * A circuit breaker on the payment provider, one per instance (docs/design.md §2.6, §2.7).
 * Failures of the transient and ambiguous kinds (a refused connection, a 5xx, a reset or
 * a timeout) count; a definite answer (paid or refused) says the provider is up.
 *
 * Closed, calls go, until one fails ambiguously (it may have been processed: a 5xx other
 * than 503, a reset, a timeout): then, with `holdAfterAmbiguous`, it **holds**, lets no new call start, and waits
 * for the calls still in flight. When none is left: if all of them failed, it opens; if
 * one got a definite answer, one trial call goes (the provider may have answered it before
 * its trouble began), whose definite answer ends the hold and whose failure opens it. It
 * opens sooner when `consecutiveFailures` failed in a row, or when their share of the last
 * `window` calls reached `failureRatio`. So a provider that fails fast gets no more calls
 * than were in flight when its trouble began, plus the probes: the slot of a failed call
 * is not filled again until a call sent after the failure is answered. Without it (an
 * idempotent provider, whose failed calls are resent with the same key and never UNKNOWN),
 * and for transient failures (refused, 503: never processed, resent with the same key),
 * only the run of failures and their share open it.
 * With `holdAfterAmbiguous`, a closed breaker is **cold** when nothing is in flight and it
 * has had no answer of any kind for `coldAfterMs` (or none since it was made): it learns of
 * an outage only from its own calls, so its first call goes alone, as a trial held for like
 * the one above (a definite answer lets the round go, a failure opens it). A trial
 * unanswered after `openMs` lifts that hold: a slow provider, or one that answers only once
 * many calls are in flight, is delayed, not stalled. A failure's hold is never lifted so.
 * Open, no call goes until `openMs` has passed; then it is half-open and lets exactly one
 * probe through: its definite answer closes the breaker, its failure opens it again for
 * twice as long, up to `maxOpenMs`.
 *
 * Only the calls let through since it last closed, and the probe, count: the answers of
 * calls sent before it opened say nothing new. Time comes from `now` (tests move it).
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutive = 0;
  private readonly recent: boolean[] = [];
  private failuresInWindow = 0;
  /** Calls let through while closed, since it last closed, whose answer has not come. */
  private readonly inFlight = new Set<BreakerCall>();
  /** Closed, but a call failed: nothing new starts until the calls in flight end. */
  private held = false;
  /** Holding, and a call in flight got a definite answer: the trial may go once none is left. */
  private answeredInHold = false;
  /** The one call sent while holding (or alone, cold). */
  private trial: BreakerCall | null = null;
  private openedAt = 0;
  private openFor: number;
  private since: number | null = null;
  private probe: BreakerCall | null = null;
  /**
   * When the provider last answered any call or probe (succeeded, failed, released), or the
   * engine last claimed a round while warm (`claimed`).
   */
  private lastHeard = Number.NEGATIVE_INFINITY;
  /** Holding for a cold start's trial (not for a failure): when that trial was sent. */
  private coldTrialSentAt: number | null = null;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number,
    private readonly onTransition: (transition: BreakerTransition) => void = () => undefined,
  ) {
    this.openFor = settings.openMs;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Closed but holding: a call failed, and no new call starts (but the trial). */
  get holding(): boolean {
    this.liftColdHold();
    return this.held;
  }

  /** Holding, and the trial call may go now. */
  get trialReady(): boolean {
    return this.held && this.answeredInHold && this.inFlight.size === 0;
  }

  /**
   * Closed: how many new calls may start now (Infinity, 1: a trial, or 0: holding for the
   * calls in flight). 0 when not closed (see tryAcquire for the probe).
   */
  get newCalls(): number {
    if (this.current !== 'closed') return 0;
    this.liftColdHold();
    if (this.held) return this.trialReady ? 1 : 0;
    return this.cold() ? 1 : Number.POSITIVE_INFINITY;
  }

  /** Since when (ms epoch) the provider is unavailable; null while closed. */
  get unavailableSince(): number | null {
    return this.since;
  }

  tryAcquire(): BreakerPermit {
    if (this.current === 'closed') {
      const allowed = this.newCalls;
      if (allowed === 0) return { ok: false, retryInMs: null };
      const call: BreakerCall = { probe: false };
      this.inFlight.add(call);
      if (allowed === 1) {
        // Cold (not holding yet), or a cold start's trial again after one not sent.
        const coldTrial = !this.held || this.coldTrialSentAt !== null;
        this.coldTrialSentAt = coldTrial ? this.now() : null;
        this.held = true;
        this.trial = call;
        this.answeredInHold = false;
      }
      return { ok: true, call };
    }
    if (this.current === 'open') {
      const left = this.openedAt + this.openFor - this.now();
      if (left > 0) return { ok: false, retryInMs: left };
      this.move('half-open');
    }
    if (this.probe !== null) return { ok: false, retryInMs: null };
    this.probe = { probe: true };
    return { ok: true, call: this.probe };
  }

  /** The provider answered `call` (any definite answer, paid or refused): it is up. */
  succeeded(call: BreakerCall): void {
    this.heard(call);
    if (call === this.probe) {
      this.probe = null;
      this.openFor = this.settings.openMs;
      this.reset();
      this.move('closed');
      return;
    }
    if (!this.inFlight.delete(call)) return;
    this.consecutive = 0;
    this.remember(false);
    if (call === this.trial) {
      this.trial = null;
      this.held = false;
      this.coldTrialSentAt = null;
    } else if (this.held) {
      this.answeredInHold = true;
    }
  }

  /**
   * `call` failed: `transient`, provably not processed (a refused connection, a 503), or
   * `ambiguous`, perhaps processed (another 5xx, a reset, a timeout).
   */
  failed(call: BreakerCall, kind: 'transient' | 'ambiguous'): void {
    this.heard(call);
    if (call === this.probe) {
      this.probe = null;
      this.openFor = Math.min(this.settings.maxOpenMs, this.openFor * 2);
      this.open();
      return;
    }
    if (!this.inFlight.delete(call)) return;
    if (call === this.trial) this.trial = null;
    this.consecutive++;
    if (kind === 'ambiguous' && this.settings.holdAfterAmbiguous) {
      // A failure's hold, which no timer lifts.
      this.held = true;
      this.coldTrialSentAt = null;
    }
    this.remember(true);
    const { consecutiveFailures, failureRatio, window } = this.settings;
    const ratioTripped =
      this.recent.length >= window && this.failuresInWindow / this.recent.length >= failureRatio;
    if (this.consecutive >= consecutiveFailures || ratioTripped || this.allFailed()) this.open();
  }

  /** `call` ended telling nothing about the provider's health (a 429, not sent, shutdown). */
  released(call: BreakerCall): void {
    this.heard(call);
    if (call === this.probe) {
      this.probe = null;
      return;
    }
    if (!this.inFlight.delete(call)) return;
    if (call === this.trial) {
      // Not sent after all: the trial may go again.
      this.trial = null;
      this.answeredInHold = true;
    }
    if (this.allFailed()) this.open();
  }

  /** Nothing in flight, and no answer for `coldAfterMs` (or ever): the next call goes alone. */
  private cold(): boolean {
    return (
      this.settings.holdAfterAmbiguous &&
      this.inFlight.size === 0 &&
      this.now() - this.lastHeard >= coldAfterMs(this.settings)
    );
  }

  /** A cold start's trial unanswered for `openMs`: the round may go (it is slow, not failed). */
  private liftColdHold(): void {
    if (this.coldTrialSentAt === null || this.trial === null) return;
    if (this.now() - this.coldTrialSentAt < this.settings.openMs) return;
    this.held = false;
    this.trial = null;
    this.answeredInHold = false;
    this.coldTrialSentAt = null;
  }

  /**
   * The engine claimed charges that this breaker let it claim while warm: they are a
   * round already decided, to be sent within a claim's lifetime, not an idle instance's
   * first calls. Keeps it warm that long, so they do not wait behind a cold trial (and
   * grow too old to send) if the answers before them were slow to come.
   */
  claimed(): void {
    if (this.current === 'closed' && !this.held) this.lastHeard = this.now();
  }

  /** An answer of `call`, if it is one this breaker still counts. */
  private heard(call: BreakerCall): void {
    if (call === this.probe || this.inFlight.has(call)) this.lastHeard = this.now();
  }

  /** Holding, nothing left in flight, and no definite answer since the hold began. */
  private allFailed(): boolean {
    return this.held && !this.answeredInHold && this.inFlight.size === 0;
  }

  private open(): void {
    this.openedAt = this.now();
    this.since ??= this.openedAt;
    this.reset();
    this.move('open');
  }

  private reset(): void {
    this.consecutive = 0;
    this.recent.length = 0;
    this.failuresInWindow = 0;
    this.inFlight.clear();
    this.held = false;
    this.answeredInHold = false;
    this.trial = null;
    this.coldTrialSentAt = null;
  }

  private remember(failed: boolean): void {
    this.recent.push(failed);
    if (failed) this.failuresInWindow++;
    if (this.recent.length > this.settings.window && this.recent.shift()) this.failuresInWindow--;
  }

  private move(to: BreakerState): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    if (to === 'closed') this.since = null;
    this.onTransition({ from, to, at: this.now(), unavailableSince: this.since });
  }
}
