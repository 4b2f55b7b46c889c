import { EventStoreUnavailableError } from '../../../src/event-store/errors/event-store-unavailable.error';
import type { EventData } from '../../../src/event-store/event-data';
import type {
  AllSubscription,
  AppendAllResult,
  AppendRequest,
  AppendResult,
  BatchAppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeToAllOptions,
} from '../../../src/event-store/event-store.port';
import type { ExpectedRevision } from '../../../src/event-store/expected-revision';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';

/**
 * An event store that can go away: while `down`, every call fails with
 * EventStoreUnavailableError; `loseAcks(n)` makes the next n appends land and then fail,
 * as when the connection drops before the answer arrives.
 */
export class FlakyEventStore implements EventStore {
  down = false;
  /** Calls refused while down. */
  refused = 0;
  /** Appends that landed but were reported as failed. */
  lostAcks = 0;
  /** Appends let through to the store and not answered yet: they may still land. */
  appendsInFlight = 0;
  private readonly acksToLose: {
    count: number;
    matches: (events: readonly EventData[]) => boolean;
  }[] = [];

  constructor(private readonly inner: EventStore) {}

  /** The next `count` appends holding an event that `matches` land, then fail. */
  loseAcks(count: number, matches: (event: EventData) => boolean = () => true): void {
    this.acksToLose.push({ count, matches: (events) => events.some(matches) });
  }

  async append(
    stream: string,
    events: readonly EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    this.check();
    const result = await this.inFlight(() => this.inner.append(stream, events, expected));
    this.maybeLoseAck(events);
    return result;
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<BatchAppendResult[]> {
    this.check();
    const results = await this.inFlight(() => this.inner.appendMany(requests));
    this.maybeLoseAck(requests.flatMap((request) => request.events));
    return results;
  }

  async appendAll(requests: readonly AppendRequest[]): Promise<AppendAllResult> {
    this.check();
    const outcome = await this.inFlight(() => this.inner.appendAll(requests));
    this.maybeLoseAck(requests.flatMap((request) => request.events));
    return outcome;
  }

  async readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.check();
    return this.inner.readStream(stream, options);
  }

  async readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    this.check();
    return this.inner.readStreams(streams);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.check();
    return this.inner.readAll(options);
  }

  subscribeToAll(options: SubscribeToAllOptions): AllSubscription {
    return this.inner.subscribeToAll(options);
  }

  async ping(): Promise<void> {
    this.check();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private check(): void {
    if (!this.down) return;
    this.refused++;
    throw new EventStoreUnavailableError('the event store is down (test)');
  }

  private async inFlight<T>(append: () => Promise<T>): Promise<T> {
    this.appendsInFlight++;
    try {
      return await append();
    } finally {
      this.appendsInFlight--;
    }
  }

  private maybeLoseAck(events: readonly EventData[]): void {
    const loss = this.acksToLose.find((each) => each.count > 0 && each.matches(events));
    if (!loss) return;
    loss.count--;
    this.lostAcks++;
    throw new EventStoreUnavailableError('the connection dropped before the answer (test)');
  }
}
