/**
 * A stop request shared by the loops of one service: `sleep` ends early when stop() is
 * called, so shutdown never waits out a backoff or a poll interval.
 */
export class StopSignal {
  private stopRequested = false;
  private readonly sleepers = new Set<() => void>();

  get stopped(): boolean {
    return this.stopRequested;
  }

  stop(): void {
    this.stopRequested = true;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
  }

  /** Resolves after `ms`, or at once when stopped; true when the full time passed. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopRequested) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.sleepers.delete(wake);
        resolve(true);
      }, ms);
      this.sleepers.add(wake);
    });
  }
}
