import type {
  AllSubscription,
  AppendResult,
  BatchAppendResult,
  EventStore,
} from '../../../src/event-store/event-store.port';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';
import type { FakeWorld } from './fake-world';

/** Only what the API reads: one stream, for the audit-trail route. */
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

  readAll(): Promise<RecordedEvent[]> {
    throw new Error('not used by the API');
  }

  subscribeToAll(): AllSubscription {
    throw new Error('not used by the API');
  }
}
