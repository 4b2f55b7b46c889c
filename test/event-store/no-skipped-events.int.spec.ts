import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../../src/database/sql-database';
import { WrongExpectedVersionError } from '../../src/event-store/errors/wrong-expected-version.error';
import { newEvent, type EventData } from '../../src/event-store/event-data';
import type { EventStore } from '../../src/event-store/event-store.port';
import { ANY, NO_STREAM, type ExpectedRevision } from '../../src/event-store/expected-revision';
import { START } from '../../src/event-store/position';
import { type OpenStore } from '../support/event-store-backends';
import { backendsWith } from '../support/backends';

const APPENDERS = 8;
const EVENTS = 20_000;
const STREAMS = 400;

interface Seen {
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
}

type Reader = (open: OpenStore, prefix: string, until: () => boolean) => Promise<Seen[]>;

/** Once the appenders are done, a reader that sees nothing new for this long gives up. */
const STALL_MS = 60_000;

/**
 * The store's own catch-up subscription: filtered by the server, or reading the whole log
 * (as projectors do, sharing the reads of the log's tail; docs/event-store.md) and
 * keeping this test's events.
 */
const subscriptionReader =
  (filtered: boolean, batchSize: number): Reader =>
  async ({ store }, prefix, until) => {
    const seen: Seen[] = [];
    const subscription = store.subscribeToAll({
      after: START,
      batchSize,
      ...(filtered ? { filter: { streamPrefixes: [prefix] } } : {}),
    });
    // A skipped event would leave the reader waiting forever: end it so the assertions
    // below say which events are missing, instead of a test timeout saying nothing.
    let lastEventAt = Date.now();
    const watchdog = setInterval(() => {
      // Done (a reader served from memory can see the last event before the appenders
      // report back), or stalled.
      if (until() && (seen.length >= EVENTS || Date.now() - lastEventAt > STALL_MS))
        void subscription.close();
    }, 100);
    try {
      for await (const event of subscription) {
        if (!event.stream.startsWith(prefix)) continue;
        seen.push(event);
        lastEventAt = Date.now();
        if (until() && seen.length >= EVENTS) break;
      }
    } finally {
      clearInterval(watchdog);
      await subscription.close();
    }
    return seen;
  };

/**
 * The trap of docs/design.md §1.3: polling `global_position > checkpoint`. A position is taken at
 * insert but becomes visible at commit, so an event that commits late behind a larger
 * position is skipped. Select it with NAIVE_READER=1 to watch this test fail.
 */
const naiveReader: Reader = async ({ db }, prefix, until) => {
  const seen: Seen[] = [];
  let checkpoint = -1n;
  for (;;) {
    const done = until();
    const rows = await naiveBatch(db, prefix, checkpoint);
    for (const row of rows)
      seen.push({ id: row.event_id, stream: row.stream_name, revision: row.stream_revision });
    if (rows.length > 0) checkpoint = rows[rows.length - 1].global_position;
    if (done && rows.length === 0) return seen;
  }
};

function naiveBatch(db: SqlDatabase, prefix: string, checkpoint: bigint) {
  return db.query<{
    event_id: string;
    stream_name: string;
    stream_revision: bigint;
    global_position: bigint;
  }>(
    `SELECT event_id::text, stream_name, stream_revision, global_position FROM events
      WHERE global_position > $1 AND stream_name LIKE $2 ORDER BY global_position LIMIT 500`,
    [checkpoint.toString(), `${prefix}%`],
  );
}

/** Three subscriptions at once: one filtered, two unfiltered sharing their reads. */
const readers: Reader[] =
  process.env.NAIVE_READER === '1'
    ? [naiveReader]
    : [
        subscriptionReader(true, 500),
        subscriptionReader(false, 500),
        subscriptionReader(false, 97),
      ];

/**
 * Half the appends expect `any` (the locking function), half an exact revision (the
 * fast path, and the function when it loses a race): both kinds race on each stream.
 */
async function appendConcurrently(store: EventStore, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  const known = new Map<string, ExpectedRevision>();
  const appendAtRevision = async (stream: string, batch: EventData[]): Promise<void> => {
    for (;;) {
      try {
        const result = await store.append(stream, batch, known.get(stream) ?? NO_STREAM);
        known.set(stream, result.nextExpectedRevision);
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        known.set(stream, error.actual);
      }
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: APPENDERS }, async () => {
      while (next < EVENTS) {
        const size = Math.min(1 + (next % 3), EVENTS - next);
        next += size;
        const batch = Array.from({ length: size }, () => newEvent('Appended', {}));
        ids.push(...batch.map((event) => event.id));
        const stream = `${prefix}${next % STREAMS}`;
        if (next % 2 === 0) await store.append(stream, batch, ANY);
        else await appendAtRevision(stream, batch);
      }
    }),
  );
  return ids;
}

describe.each(backendsWith('openStore'))('no skipped events on $name', ({ openStore }) => {
  let subject: OpenStore;
  beforeAll(async () => {
    subject = await openStore('no_skip');
  });
  afterAll(async () => subject?.close());

  it(`catch-up readers (filtered, and unfiltered sharing reads) see all ${EVENTS} events of ${APPENDERS} concurrent appenders once, in stream order`, async () => {
    const prefix = `skip-${randomUUID()}-`;
    let appendersDone = false;
    const reading = Promise.all(readers.map((read) => read(subject, prefix, () => appendersDone)));
    const appended = await appendConcurrently(subject.store, prefix);
    appendersDone = true;
    for (const seen of await reading) expectEveryEventOnceInOrder(appended, seen);
  }, 300_000);
});

function expectEveryEventOnceInOrder(appended: readonly string[], seen: readonly Seen[]): void {
  const seenIds = new Set(seen.map((event) => event.id));
  const missing = appended.filter((id) => !seenIds.has(id));
  expect({ missing: missing.length, duplicates: seen.length - seenIds.size }).toEqual({
    missing: 0,
    duplicates: 0,
  });
  expect(seen).toHaveLength(EVENTS);

  const lastRevision = new Map<string, bigint>();
  const outOfOrder = seen.filter((event) => {
    const previous = lastRevision.get(event.stream) ?? -1n;
    lastRevision.set(event.stream, event.revision);
    return event.revision !== previous + 1n;
  });
  expect(outOfOrder).toEqual([]);
}
