import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { AllFilter, AllSubscription } from '../event-store.port';
import { comparePositions, type Position } from '../position';
import type { RecordedEvent } from '../recorded-event';
import { allFilterPredicate } from './esdb-all-filter';
import { mapEsdbError } from './map-esdb-error';
import { toRecordedEvent } from './to-recorded-event';

const CLOSED = Symbol('closed');

/**
 * The client's catch-up subscription to `$all` as the port's AllSubscription.
 *
 * The client's stream never ends when it is cancelled (the gRPC stream errors with a
 * cancellation the client swallows), so every read races close(). Events at or
 * before `after` are skipped in case a server includes the start position, and the
 * filter is re-applied exactly (the server-side filter can only approximate it).
 */
export class EsdbAllSubscription implements AllSubscription {
  private closed = false;
  private signalClosed!: () => void;
  private readonly closedSignal = new Promise<typeof CLOSED>((resolve) => {
    this.signalClosed = () => resolve(CLOSED);
  });
  private readonly accepts: ReturnType<typeof allFilterPredicate>;

  constructor(
    private readonly source: AllStreamSubscription,
    private readonly after: Position,
    filter: AllFilter | undefined,
    private readonly onClose: () => void = () => undefined,
  ) {
    this.accepts = allFilterPredicate(filter);
    // Errors surface through iteration; an unheard one must not crash the process.
    source.on('error', () => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    const iterator = this.source[Symbol.asyncIterator]() as AsyncIterator<AllStreamResolvedEvent>;
    let last = this.after;
    try {
      while (!this.closed) {
        const pending = iterator.next();
        const next = await Promise.race([pending, this.closedSignal]);
        if (next === CLOSED) {
          pending.catch(() => undefined); // settles with the cancelled stream; nobody waits for it
          return;
        }
        if (next.done) return;
        const raw = next.value.event;
        if (!raw || comparePositions(raw.position, last) <= 0) continue;
        last = raw.position;
        if (this.accepts({ stream: raw.streamId, type: raw.type }))
          yield toRecordedEvent(next.value);
      }
    } catch (error) {
      if (this.closed) return;
      throw mapEsdbError(error);
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signalClosed();
    this.onClose();
    await this.source.unsubscribe();
  }
}
