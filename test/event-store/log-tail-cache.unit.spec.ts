import type { ReadAllOptions } from '../../src/event-store/event-store.port';
import { LogTailCache } from '../../src/event-store/log-tail-cache';
import { comparePositions, START, type Position } from '../../src/event-store/position';
import type { RecordedEvent } from '../../src/event-store/recorded-event';

/** A log in memory: readAll answers like the store (everything after, up to the limit). */
class FakeLog {
  readonly events: RecordedEvent[] = [];
  reads = 0;
  /** Holds every read until released, to line readers up. */
  gate: Promise<void> | null = null;

  append(count: number): void {
    for (let i = 0; i < count; i++) {
      const n = this.events.length;
      this.events.push({
        id: `event-${n}`,
        stream: `stream-${n % 7}`,
        revision: BigInt(Math.floor(n / 7)),
        // Positions increase but are not dense, as on PostgreSQL.
        position: { commit: BigInt(100 + Math.floor(n / 3)), prepare: BigInt(2 * n + 1) },
        type: 'Tested',
        data: { n },
        metadata: {},
        createdAt: new Date(0),
      });
    }
  }

  readonly readAll = async (options: ReadAllOptions): Promise<RecordedEvent[]> => {
    this.reads++;
    if (this.gate) await this.gate;
    return this.events
      .filter((event) => comparePositions(event.position, options.after) > 0)
      .filter(
        (event) => !options.filter?.eventTypes || options.filter.eventTypes.includes(event.type),
      )
      .slice(0, options.limit);
  };
}

/** Reads everything after `from`, as a subscription does, `limit` at a time. */
async function readToEnd(cache: LogTailCache, from: Position, limit: number): Promise<number[]> {
  const seen: number[] = [];
  let after = from;
  for (;;) {
    const batch = await cache.read({ after, limit });
    for (const event of batch) seen.push(event.data.n as number);
    if (batch.length === 0) return seen;
    after = batch[batch.length - 1].position;
  }
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => from + i);

describe('LogTailCache', () => {
  it('gives readers following the tail the log exactly, reading each event from the store once', async () => {
    const log = new FakeLog();
    log.append(2_000);
    const cache = new LogTailCache(log.readAll, 10_000);
    const readers = await Promise.all([1, 2, 3, 4].map(() => readToEnd(cache, START, 100)));
    for (const seen of readers) expect(seen).toEqual(range(0, 2_000));
    expect(cache.counts.readFromStore).toBe(2_000);
  });

  it('sees what was appended since, and only after a read of the store that started later', async () => {
    const log = new FakeLog();
    log.append(10);
    const cache = new LogTailCache(log.readAll);
    expect(await readToEnd(cache, START, 100)).toEqual(range(0, 10));
    log.append(5);
    const last = log.events[9].position;
    expect((await cache.read({ after: last, limit: 100 })).map((e) => e.data.n)).toEqual(
      range(10, 15),
    );
  });

  it('answers a reader that waited for a read started before it was asked with a read of its own', async () => {
    const log = new FakeLog();
    log.append(3);
    const cache = new LogTailCache(log.readAll);
    await readToEnd(cache, START, 100);
    const end = log.events[2].position;
    let release!: () => void;
    log.gate = new Promise((resolve) => (release = resolve));
    const early = cache.read({ after: end, limit: 100 }); // its store read starts now
    log.append(2); // appended after that read started: it may or may not see them
    const late = cache.read({ after: end, limit: 100 }); // asked after: must see them
    release();
    log.gate = null;
    await early;
    expect((await late).map((e) => e.data.n)).toEqual([3, 4]);
  });

  it('serves a reader behind the held stretch from the store, without disturbing the stretch', async () => {
    const log = new FakeLog();
    log.append(300);
    const cache = new LogTailCache(log.readAll, 100);
    expect(await readToEnd(cache, START, 50)).toEqual(range(0, 300));
    const storeRowsBefore = cache.counts.readFromStore;
    // Held: the last 100 events. A reader from the start reads around them.
    expect(await readToEnd(cache, START, 50)).toEqual(range(0, 300));
    expect(cache.counts.readFromStore).toBeGreaterThan(storeRowsBefore);
    const servedBefore = cache.counts.servedFromCache;
    expect(await readToEnd(cache, log.events[249].position, 50)).toEqual(range(250, 300));
    expect(cache.counts.servedFromCache).toBe(servedBefore + 50);
  });

  it('passes filtered reads to the store', async () => {
    const log = new FakeLog();
    log.append(10);
    const cache = new LogTailCache(log.readAll);
    const read = await cache.read({ after: START, limit: 5, filter: { eventTypes: ['Other'] } });
    expect(read).toEqual([]);
    expect(cache.counts.servedFromCache).toBe(0);
  });

  it('reports a failed store read to its reader; the next read tries again', async () => {
    const log = new FakeLog();
    log.append(5);
    let fail = true;
    const cache = new LogTailCache(async (options) => {
      if (fail) throw new Error('store down');
      return log.readAll(options);
    });
    await expect(cache.read({ after: START, limit: 10 })).rejects.toThrow('store down');
    fail = false;
    expect((await cache.read({ after: START, limit: 10 })).map((e) => e.data.n)).toEqual(
      range(0, 5),
    );
  });
});
