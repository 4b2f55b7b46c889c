/** What a span of calls achieved: the most at once, and their summed time. */
export interface CallsInFlightReading {
  /** Calls in the provider's hands right now. */
  readonly now: number;
  /** The most at once since the counter was made. */
  readonly peak: number;
  /** The calls' durations summed (ended calls, and the part of open ones so far). */
  readonly callMs: number;
}

/**
 * Counts the calls a provider is answering at once. The mean in flight over a span is
 * the calls' summed time over the span's length (Little's law), so only a running sum is
 * kept: two readings, and `callMs` delta ÷ elapsed is the mean between them.
 */
export class CallsInFlight {
  private current = 0;
  private highest = 0;
  private endedMs = 0;
  /** Σ start times of the calls still open: their time so far is now × current − this. */
  private openStartsMs = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A call arrived; returns its start, for `end`. */
  start(): number {
    const at = this.now();
    this.current++;
    this.highest = Math.max(this.highest, this.current);
    this.openStartsMs += at;
    return at;
  }

  end(startedAt: number): void {
    this.current--;
    this.openStartsMs -= startedAt;
    this.endedMs += this.now() - startedAt;
  }

  read(): CallsInFlightReading {
    const openMs = this.now() * this.current - this.openStartsMs;
    return { now: this.current, peak: this.highest, callMs: this.endedMs + openMs };
  }
}
