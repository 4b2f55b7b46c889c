import type { AllSubscription, EventStore } from '../../../src/event-store/event-store.port';
import { START, type Position } from '../../../src/event-store/position';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';
import { isUnavailable } from '../../../src/shared/is-unavailable';

export interface FollowerTarget {
  apply(event: RecordedEvent): void;
  /** Where to subscribe again from after the store went away. */
  checkpoint(): Position;
  /** The subscription failed for another reason than an unreachable store. */
  fail(error: unknown): void;
}

/**
 * Feeds a store's log to `target` through a catch-up subscription, as a projector
 * would: when the store goes away it subscribes again from the checkpoint, and it fails
 * only on other errors. pause() holds the events back: a projector that lags.
 */
export class StoreFollower {
  /** Times the subscription was dropped by an unreachable store and started again. */
  resubscriptions = 0;
  private subscription: AllSubscription;
  private readonly following: Promise<void>;
  private closed = false;
  private held: { promise: Promise<void>; release: () => void } | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly target: FollowerTarget,
  ) {
    this.subscription = store.subscribeToAll({ after: START, batchSize: 1000 });
    this.following = this.follow();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.resume();
    await this.subscription.close();
    await this.following;
  }

  pause(): void {
    if (this.held) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
  }

  resume(): void {
    this.held?.release();
    this.held = null;
  }

  private async follow(): Promise<void> {
    for (;;) {
      try {
        for await (const event of this.subscription) {
          if (this.held) await this.held.promise;
          this.target.apply(event);
        }
        return;
      } catch (error) {
        if (this.closed) return;
        if (!isUnavailable(error)) {
          this.target.fail(error);
          return;
        }
      }
      this.resubscriptions++;
      // A projector's back-off: the store is down, ask again shortly.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (this.closed) return;
      this.subscription = this.store.subscribeToAll({
        after: this.target.checkpoint(),
        batchSize: 1000,
      });
    }
  }
}
