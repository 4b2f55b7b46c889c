import type {
  AllSubscription,
  AppendAllResult,
  AppendResult,
  BatchAppendResult,
  EventStore,
  ReadAllOptions,
  SubscribeToAllOptions,
} from '../../../src/event-store/event-store.port';
import { comparePositions, type Position } from '../../../src/event-store/position';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';
import type { FakeWorld } from './fake-world';

/**
 * Only what the API reads: streams for the audit-trail route, the log for the event feed.
 * A subscription serves the events stored when it started and then ends (no live part).
 */
export class FakeEventStore implements EventStore {
  constructor(private readonly world: FakeWorld) {}

  async readStream(stream: string): Promise<RecordedEvent[]> {
    this.world.check();
    return [...(this.world.streams.get(stream) ?? [])];
  }

  async readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    this.world.check();
    return new Map(streams.map((stream) => [stream, [...(this.world.streams.get(stream) ?? [])]]));
  }

  async ping(): Promise<void> {
    this.world.check();
  }

  async close(): Promise<void> {}

  append(): Promise<AppendResult> {
    throw new Error('the API never appends: commands do');
  }

  appendMany(): Promise<BatchAppendResult[]> {
    throw new Error('the API never appends: commands do');
  }

  appendAll(): Promise<AppendAllResult> {
    throw new Error('the API never appends: commands do');
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<RecordedEvent[]> {
    this.world.check();
    return this.logAfter(after).slice(0, limit);
  }

  subscribeToAll({ after }: SubscribeToAllOptions): AllSubscription {
    this.world.check();
    const events = this.logAfter(after);
    return {
      close: async () => {},
      async *[Symbol.asyncIterator]() {
        yield* events;
      },
    };
  }

  private logAfter(after: Position): RecordedEvent[] {
    return [...this.world.streams.values()]
      .flat()
      .filter((event) => comparePositions(event.position, after) > 0)
      .sort((a, b) => comparePositions(a.position, b.position));
  }
}
