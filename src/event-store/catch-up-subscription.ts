import type { AllSubscription, ReadAllOptions } from './event-store.port';
import type { Position } from './position';
import type { RecordedEvent } from './recorded-event';

export interface CatchUpSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Calls `wake` whenever new events may be readable; returns a function to stop. */
  onAppended(wake: () => void): () => void;
}

export interface CatchUpOptions extends Omit<ReadAllOptions, 'limit'> {
  readonly batchSize?: number;
  /**
   * The longest wait between reads when nothing woke the subscription. Events can
   * become readable without a wake-up (an unrelated transaction that held back the
   * read horizon ends), so the subscription also polls.
   */
  readonly pollIntervalMs?: number;
}

/**
 * A catch-up subscription over any store that can read the global log in batches:
 * reads until a short batch, then waits for a wake-up or the poll interval.
 */
export class CatchUpSubscription implements AllSubscription {
  private closed = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(
    private readonly source: CatchUpSource,
    private readonly options: CatchUpOptions,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    const batchSize = this.options.batchSize ?? 500;
    const stop = this.source.onAppended(() => this.wake());
    let after: Position = this.options.after;
    try {
      while (!this.closed) {
        this.woken = false;
        const batch = await this.source.readAll({
          after,
          filter: this.options.filter,
          limit: batchSize,
        });
        for (const event of batch) {
          if (this.closed) return;
          yield event;
          after = event.position;
        }
        if (batch.length < batchSize) await this.idle();
      }
    } finally {
      stop();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Waits for a wake-up, the poll interval, or close(), whichever comes first. */
  private idle(): Promise<void> {
    if (this.woken || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs ?? 250);
      this.wakeUp = done;
    });
  }
}
