/** The simulator's time source, injectable so latency tests need no real waiting. */
export interface SimulatedClock {
  /** Milliseconds since the epoch, stamped on ledger entries. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: SimulatedClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
