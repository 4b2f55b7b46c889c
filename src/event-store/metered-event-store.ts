import type { AntaeusMetrics } from '../metrics/antaeus-metrics';
import { WrongExpectedVersionError } from './errors/wrong-expected-version.error';
import { EventIdConflictError } from './errors/event-id-conflict.error';
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
} from './event-store.port';
import type { EventData } from './event-data';
import type { ExpectedRevision } from './expected-revision';
import type { RecordedEvent } from './recorded-event';

/**
 * The event store with its appends timed into `antaeus_event_store_append_duration_seconds`
 * (as the caller waits: a group commit's queueing included) and the events of each
 * acknowledged append counted by type (`antaeus_events_appended_total`; an idempotent
 * repeat of an append counts again). Everything else passes through untouched.
 */
export class MeteredEventStore implements EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly metrics: AntaeusMetrics,
  ) {}

  async append(
    stream: string,
    events: readonly EventData[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const end = this.metrics.eventStoreAppendDuration.startTimer({ operation: 'append' });
    try {
      const result = await this.store.append(stream, events, expectedRevision);
      end({ result: 'ok' });
      this.countAppended(events);
      return result;
    } catch (error) {
      end({ result: isConflict(error) ? 'conflict' : 'error' });
      throw error;
    }
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<BatchAppendResult[]> {
    const end = this.metrics.eventStoreAppendDuration.startTimer({ operation: 'append_many' });
    try {
      const results = await this.store.appendMany(requests);
      end({ result: results.every((result) => result.success) ? 'ok' : 'conflict' });
      results.forEach((result, index) => {
        if (result.success) this.countAppended(requests[index].events);
      });
      return results;
    } catch (error) {
      end({ result: 'error' });
      throw error;
    }
  }

  async appendAll(requests: readonly AppendRequest[]): Promise<AppendAllResult> {
    const end = this.metrics.eventStoreAppendDuration.startTimer({ operation: 'append_all' });
    try {
      const outcome = await this.store.appendAll(requests);
      end({ result: outcome.success ? 'ok' : 'conflict' });
      const stored = outcome.success ? requests.map((_, index) => index) : outcome.written;
      for (const index of stored) this.countAppended(requests[index].events);
      return outcome;
    } catch (error) {
      end({ result: 'error' });
      throw error;
    }
  }

  private countAppended(events: readonly EventData[]): void {
    for (const event of events) this.metrics.eventsAppended.inc({ type: event.type });
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.store.readStream(stream, options);
  }

  readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    return this.store.readStreams(streams);
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.store.readAll(options);
  }

  subscribeToAll(options: SubscribeToAllOptions): AllSubscription {
    return this.store.subscribeToAll(options);
  }

  ping(): Promise<void> {
    return this.store.ping();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

function isConflict(error: unknown): boolean {
  return error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError;
}
