import type { SimulatedClock } from '../../../src/payments/simulated/simulated-clock';

/** A clock whose sleeps end only when the test says so. */
export class ManualClock implements SimulatedClock {
  nowMs = Date.UTC(2025, 0, 1);
  readonly sleeps: number[] = [];
  private readonly pending: (() => void)[] = [];

  now(): number {
    return this.nowMs;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => this.pending.push(resolve));
  }

  get sleeping(): number {
    return this.pending.length;
  }

  wakeAll(): void {
    this.pending.splice(0).forEach((wake) => wake());
  }
}
