import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  EVENT_STORE,
  type AllSubscription,
  type EventStore,
} from '../../event-store/event-store.port';
import type { Position } from '../../event-store/position';
import type { RecordedEvent } from '../../event-store/recorded-event';
import { formatCursor } from './event-cursor';
import { FeedEventDto } from './feed-event.dto';

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** Events read from the store per batch while a stream catches up. */
const CATCH_UP_BATCH = 200;
/** What an EventSource waits before it reconnects (with Last-Event-ID). */
const RECONNECT_MS = 1000;

/**
 * The event log for other systems: pages of it, and Server-Sent Events that catch up
 * from a cursor and then follow live appends. A stream is written only as fast as its
 * client reads (the store is read as the socket drains), and every open stream is ended
 * when the app shuts down, so shutdown never waits for a client.
 */
@Injectable()
export class EventFeed implements OnModuleDestroy {
  private readonly logger = new Logger(EventFeed.name);
  private readonly streams = new Set<AllSubscription>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  page(after: Position, limit: number): Promise<RecordedEvent[]> {
    return this.store.readAll({ after, limit });
  }

  /** Serves the stream on `response` until the client leaves or the app stops. */
  async stream(after: Position, response: ServerResponse): Promise<void> {
    const subscription = this.store.subscribeToAll({ after, batchSize: CATCH_UP_BATCH });
    this.streams.add(subscription);
    const leave = () => void subscription.close();
    response.on('close', leave);
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`retry: ${RECONNECT_MS}\n\n`);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      for await (const event of subscription) {
        if (response.destroyed) break;
        if (!response.write(frame(event))) await drainedOrClosed(response);
      }
    } catch (error) {
      // The client reconnects with the last id it received and resumes there.
      this.logger.warn(`Event stream ended: ${(error as Error).message}`);
    } finally {
      clearInterval(heartbeat);
      response.off('close', leave);
      this.streams.delete(subscription);
      await subscription.close();
      response.end();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.streams].map((subscription) => subscription.close()));
  }
}

/** One SSE message: the cursor as its id (what Last-Event-ID sends back), the event as JSON. */
function frame(event: RecordedEvent): string {
  return `id: ${formatCursor(event.position)}\ndata: ${JSON.stringify(FeedEventDto.from(event))}\n\n`;
}

async function drainedOrClosed(response: ServerResponse): Promise<void> {
  const controller = new AbortController();
  await Promise.race([
    once(response, 'drain', { signal: controller.signal }),
    once(response, 'close', { signal: controller.signal }),
  ]).finally(() => controller.abort());
}
