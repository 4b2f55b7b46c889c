/**
 * The instance-wide pause a provider asked for (429 or 503 with Retry-After): nothing
 * is sent to it before `until`. A later, longer request extends the pause; a shorter
 * one never cuts it short. Time comes from `now` (tests move it).
 */
export class ProviderBackoff {
  private until = 0;

  constructor(
    private readonly now: () => number,
    /** The longest pause honoured, whatever the provider asks. */
    private readonly maxMs: number,
  ) {}

  /** Pauses for `ms` from now (capped); true when this extended the pause. */
  holdFor(ms: number): boolean {
    const until = this.now() + Math.min(Math.max(0, ms), this.maxMs);
    if (until <= this.until) return false;
    this.until = until;
    return true;
  }

  /** How long sending must still wait; 0 when it may go. */
  get remainingMs(): number {
    return Math.max(0, this.until - this.now());
  }

  /** Until when (ms epoch) the provider asked to be left alone; null when it did not. */
  get pausedUntil(): number | null {
    return this.remainingMs > 0 ? this.until : null;
  }
}
