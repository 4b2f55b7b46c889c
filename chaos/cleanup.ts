/**
 * What must be undone however a run ends (normally, on an error, on Ctrl-C): stopping
 * the throwaway PostgreSQL, removing temporary directories. Steps are synchronous so
 * they can run from a signal handler or process exit; they run once, newest first.
 */
export class Cleanup {
  private readonly steps: { what: string; step: () => void }[] = [];
  private done = false;

  add(what: string, step: () => void): void {
    this.steps.push({ what, step });
  }

  run(): void {
    if (this.done) return;
    this.done = true;
    for (const { what, step } of this.steps.reverse()) {
      try {
        step();
      } catch (error) {
        console.error(`chaos: cleaning up (${what}) failed: ${(error as Error).message}`);
      }
    }
  }

  /** Cleans up on SIGINT/SIGTERM (then exits 130/143) and on any process exit. */
  onSignals(log: (line: string) => void): void {
    const signals: [NodeJS.Signals, number][] = [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ];
    for (const [signal, code] of signals) {
      process.once(signal, () => {
        log(`${signal}: stopping and cleaning up`);
        this.run();
        process.exit(code);
      });
    }
    process.once('exit', () => this.run());
  }
}
