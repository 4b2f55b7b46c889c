export type BreakerState = 'closed' | 'open' | 'half-open';

/** When the breaker opens, and how long it stays open (PAYMENT_PROVIDER_BREAKER_*). */
export interface BreakerSettings {
  /** Opens after this many failed calls in a row. */
  readonly consecutiveFailures: number;
  /** Or when at least this share of the last `window` calls failed (0 < ratio <= 1). */
  readonly failureRatio: number;
  /** Calls the ratio looks at; it applies only once this many were seen since closing. */
  readonly window: number;
  /** Wait after opening before the first probe; doubled after each failed probe... */
  readonly openMs: number;
  /** ...up to this. */
  readonly maxOpenMs: number;
}

export interface BreakerTransition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly at: number;
  /** Since when the provider is unavailable (null once closed again). */
  readonly unavailableSince: number | null;
}

/** May a charge be sent now: yes (`probe`: the one trial call of a half-open breaker), or not yet. */
export type BreakerPermit =
  | { readonly ok: true; readonly probe: boolean }
  /** `retryInMs` null: wait for the probe in flight to end. */
  | { readonly ok: false; readonly retryInMs: number | null };

/**
 * A circuit breaker on the payment provider, one per instance. Closed, every call may
 * go; failures of the transient and ambiguous kinds (a refused connection, a 5xx, a
 * reset or a timeout) open it, by a run of them or by their share of a window. Open, no
 * call goes until `openMs` has passed; then it is half-open and lets exactly one probe
 * through: its success closes the breaker, its failure opens it again for twice as long.
 *
 * Only what is sent while closed, and the probe, counts: the answers of calls sent before
 * the breaker opened say nothing new. Time comes from `now` (tests move it).
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutive = 0;
  private readonly recent: boolean[] = [];
  private failuresInWindow = 0;
  private openedAt = 0;
  private openFor: number;
  private since: number | null = null;
  private probing = false;

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

  /** Since when (ms epoch) the provider is unavailable; null while closed. */
  get unavailableSince(): number | null {
    return this.since;
  }

  tryAcquire(): BreakerPermit {
    if (this.current === 'closed') return { ok: true, probe: false };
    if (this.current === 'open') {
      const left = this.openedAt + this.openFor - this.now();
      if (left > 0) return { ok: false, retryInMs: left };
      this.move('half-open');
    }
    if (this.probing) return { ok: false, retryInMs: null };
    this.probing = true;
    return { ok: true, probe: true };
  }

  /** The provider answered (any definite answer, paid or refused): it is up. */
  succeeded(probe: boolean): void {
    if (probe) {
      this.probing = false;
      this.openFor = this.settings.openMs;
      this.reset();
      this.move('closed');
      return;
    }
    if (this.current !== 'closed') return;
    this.consecutive = 0;
    this.remember(false);
  }

  /** A refused connection, a 503, a 5xx, a reset or a timeout. */
  failed(probe: boolean): void {
    if (probe) {
      this.probing = false;
      this.openFor = Math.min(this.settings.maxOpenMs, this.openFor * 2);
      this.open();
      return;
    }
    if (this.current !== 'closed') return;
    this.consecutive++;
    this.remember(true);
    const { consecutiveFailures, failureRatio, window } = this.settings;
    const ratioTripped =
      this.recent.length >= window && this.failuresInWindow / this.recent.length >= failureRatio;
    if (this.consecutive >= consecutiveFailures || ratioTripped) this.open();
  }

  /** The call ended telling nothing about the provider's health (a 429, or shutdown). */
  released(probe: boolean): void {
    if (probe) this.probing = false;
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
