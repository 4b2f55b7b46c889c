import { randomUUID } from 'node:crypto';
import { newEvent, type EventData } from '../../src/event-store/event-data';
import type { AllFilter, AppendRequest, EventStore } from '../../src/event-store/event-store.port';
import { EventIdConflictError } from '../../src/event-store/errors/event-id-conflict.error';
import { InvalidAppendError } from '../../src/event-store/errors/invalid-append.error';
import { WrongExpectedVersionError } from '../../src/event-store/errors/wrong-expected-version.error';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type ExpectedRevision,
} from '../../src/event-store/expected-revision';
import { comparePositions, START, type Position } from '../../src/event-store/position';
import type { RecordedEvent } from '../../src/event-store/recorded-event';
import { waitFor } from '../support/wait-for';

export interface ContractSubject {
  readonly store: EventStore;
  close(): Promise<void>;
}

const RACERS = 16;

/**
 * The event-store contract: every backend (PostgreSQL, PGlite, EventStoreDB) passes
 * these same cases. Streams are named per test, so cases never see each other.
 */
/**
 * How a backend keeps appendAll: `atomic` stores every request or none (PostgreSQL,
 * PGlite); `in order` goes request by request and stops at the first that fails, the
 * ones before it staying stored (EventStoreDB, which has no multi-stream transaction).
 */
export type AppendAllKind = 'atomic' | 'in order';

export function describeEventStoreContract(
  backendName: string,
  open: () => Promise<ContractSubject>,
  appendAllKind: AppendAllKind,
): void {
  describe(`event store contract: ${backendName}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => subject?.close());

    const streamName = (label = 'contract') => `${label}-${randomUUID()}`;
    const events = (count: number, type = 'Tested') =>
      Array.from({ length: count }, (_, index) => newEvent(type, { index, note: 'ünïcödé ✓' }));

    async function expectWrongVersion(
      append: Promise<unknown>,
      stream: string,
      expected: ExpectedRevision,
      actual: ExpectedRevision,
    ): Promise<void> {
      const error = await append.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ stream, expected, actual, code: 'WRONG_EXPECTED_VERSION' });
      expect((error as Error).message).toContain(stream);
    }

    describe('append with an expected revision', () => {
      it('no_stream creates the stream; the first event is revision 0', async () => {
        const stream = streamName();
        const result = await store.append(stream, events(3), NO_STREAM);
        expect(result.nextExpectedRevision).toBe(2n);
        const stored = await store.readStream(stream);
        expect(stored.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
        expect(comparePositions(result.position, stored[2].position)).toBe(0);
      });

      it('no_stream fails on an existing stream, naming the actual revision', async () => {
        const stream = streamName();
        await store.append(stream, events(2), NO_STREAM);
        await expectWrongVersion(store.append(stream, events(1), NO_STREAM), stream, NO_STREAM, 1n);
      });

      it('stream_exists fails on a missing stream and succeeds on an existing one', async () => {
        const stream = streamName();
        await expectWrongVersion(
          store.append(stream, events(1), STREAM_EXISTS),
          stream,
          STREAM_EXISTS,
          NO_STREAM,
        );
        await store.append(stream, events(1), NO_STREAM);
        const result = await store.append(stream, events(1), STREAM_EXISTS);
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('any appends to a missing and to an existing stream', async () => {
        const stream = streamName();
        expect((await store.append(stream, events(1), ANY)).nextExpectedRevision).toBe(0n);
        expect((await store.append(stream, events(2), ANY)).nextExpectedRevision).toBe(2n);
      });

      it('an exact revision succeeds only at the current revision', async () => {
        const stream = streamName();
        await store.append(stream, events(2), NO_STREAM);
        await expectWrongVersion(store.append(stream, events(1), 0n), stream, 0n, 1n);
        await expectWrongVersion(store.append(stream, events(1), 5n), stream, 5n, 1n);
        const result = await store.append(stream, events(1), 1n);
        expect(result.nextExpectedRevision).toBe(2n);
      });

      it('an exact revision on a missing stream fails with actual no_stream', async () => {
        const stream = streamName();
        await expectWrongVersion(store.append(stream, events(1), 0n), stream, 0n, NO_STREAM);
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('a failed append writes nothing', async () => {
        const stream = streamName();
        await store.append(stream, events(1), NO_STREAM);
        await expect(store.append(stream, events(3), 7n)).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('positions grow with every append', async () => {
        const stream = streamName();
        const first = await store.append(stream, events(1), NO_STREAM);
        const second = await store.append(streamName(), events(1), NO_STREAM);
        const third = await store.append(stream, events(1), 0n);
        expect(comparePositions(first.position, second.position)).toBe(-1);
        expect(comparePositions(second.position, third.position)).toBe(-1);
      });

      it('rejects an append with no events', async () => {
        await expect(store.append(streamName(), [], ANY)).rejects.toBeInstanceOf(
          InvalidAppendError,
        );
      });

      it('keeps types, data and metadata as appended', async () => {
        const stream = streamName();
        const event = newEvent(
          'InvoiceIssued',
          {
            invoiceId: '7',
            amount: { value: '10.50', currency: 'EUR' },
            tags: ['a', 'b'],
            ok: true,
          },
          { instanceId: 'i-1', causationId: 'c-1' },
        );
        await store.append(stream, [event], NO_STREAM);
        const [stored] = await store.readStream(stream);
        expect(stored).toMatchObject({
          id: event.id,
          stream,
          revision: 0n,
          type: 'InvoiceIssued',
          data: event.data,
          metadata: event.metadata,
        });
        expect(stored.createdAt).toBeInstanceOf(Date);
        expect(Math.abs(stored.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
      });
    });

    describe('idempotent re-append', () => {
      it('the same events at the same place succeed once more and store nothing new', async () => {
        const stream = streamName();
        const batch = events(2);
        const first = await store.append(stream, batch, NO_STREAM);
        const again = await store.append(stream, batch, NO_STREAM);
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(comparePositions(again.position, first.position)).toBe(0);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('a retry at an exact revision succeeds after the stream moved on', async () => {
        const stream = streamName();
        await store.append(stream, events(1), NO_STREAM);
        const batch = events(1);
        await store.append(stream, batch, 0n);
        await store.append(stream, events(1), 1n);
        const retry = await store.append(stream, batch, 0n);
        expect(retry.nextExpectedRevision).toBe(1n);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('a retry with any succeeds without a second copy', async () => {
        const stream = streamName();
        const batch = events(1);
        await store.append(stream, batch, ANY);
        await store.append(stream, batch, ANY);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('reusing an event id for different content is an error', async () => {
        const stream = streamName();
        const [event] = events(1);
        await store.append(stream, [event], NO_STREAM);
        const forged: EventData = { ...event, data: { index: 99 } };
        const error = await store
          .append(stream, [forged], NO_STREAM)
          .catch((thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(error).toMatchObject({ eventId: event.id, stream });
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('racing writers', () => {
      it(`of ${RACERS} appends at the same revision exactly one wins`, async () => {
        const stream = streamName('race');
        await store.append(stream, events(1), NO_STREAM);
        const outcomes = await Promise.allSettled(
          Array.from({ length: RACERS }, (_, racer) =>
            store.append(stream, [newEvent('Claimed', { racer })], 0n),
          ),
        );
        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(RACERS - 1);
        for (const loser of losers) {
          expect((loser as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
          expect((loser as PromiseRejectedResult).reason).toMatchObject({
            expected: 0n,
            actual: 1n,
          });
        }
        const stored = await store.readStream(stream);
        expect(stored.map((event) => event.type)).toEqual(['Tested', 'Claimed']);
      });

      it(`of ${RACERS} no_stream appends to a new stream exactly one wins`, async () => {
        const stream = streamName('race');
        const outcomes = await Promise.allSettled(
          Array.from({ length: RACERS }, (_, racer) =>
            store.append(stream, [newEvent('Started', { racer })], NO_STREAM),
          ),
        );
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
      it('appends at an exact revision and with any, racing on one stream, are each stored once, in one line', async () => {
        const stream = streamName('race');
        await store.append(stream, events(1), NO_STREAM);
        const outcomes = await Promise.allSettled(
          Array.from({ length: RACERS }, (_, racer) =>
            store.append(stream, [newEvent('Raced', { racer })], racer % 2 === 0 ? ANY : 0n),
          ),
        );
        const stored = await store.readStream(stream);
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected')
            expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
        }
        // Every `any` append is stored; of the exact ones, only one that came first.
        expect(won.length).toBeGreaterThanOrEqual(RACERS / 2);
        expect(won.length).toBeLessThanOrEqual(RACERS / 2 + 1);
        expect(stored).toHaveLength(1 + won.length);
        expect(stored.map((event) => event.revision)).toEqual(
          stored.map((_, index) => BigInt(index)),
        );
        const racers = stored.slice(1).map((event) => (event.data as { racer: number }).racer);
        expect(new Set(racers).size).toBe(won.length);
      });

      // PostgreSQL commits concurrent appends together (group commit): each must still be
      // decided on its own, whatever the others in its batch do. Each case: how its stream
      // starts, the append made at once with the others, and what that append must give.
      it('concurrent appends to many streams are each answered on their own', async () => {
        type Outcome = PromiseSettledResult<unknown>;
        const cases: Record<
          string,
          {
            append: (stream: string, first: EventData) => Promise<unknown>;
            expect: (outcome: Outcome, stream: string) => void;
            stored: string[];
          }
        > = {
          right: {
            append: (stream) => store.append(stream, events(2, 'Right'), 0n),
            expect: (outcome) =>
              expect(outcome).toMatchObject({
                status: 'fulfilled',
                value: { nextExpectedRevision: 2n },
              }),
            stored: ['Tested', 'Right', 'Right'],
          },
          wrong: {
            append: (stream) => store.append(stream, events(1, 'Wrong'), 3n),
            expect: (outcome, stream) =>
              expect(outcome).toMatchObject({
                status: 'rejected',
                reason: { code: 'WRONG_EXPECTED_VERSION', stream, expected: 3n, actual: 0n },
              }),
            stored: ['Tested'],
          },
          retry: {
            append: (stream, first) => store.append(stream, [first], NO_STREAM),
            expect: (outcome) =>
              expect(outcome).toMatchObject({
                status: 'fulfilled',
                value: { nextExpectedRevision: 0n },
              }),
            stored: ['Tested'],
          },
          forged: {
            append: (stream, first) =>
              store.append(stream, [{ ...first, data: { forged: true } }], NO_STREAM),
            expect: (outcome) => {
              expect(outcome.status).toBe('rejected');
              expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(
                EventIdConflictError,
              );
            },
            stored: ['Tested'],
          },
          new: {
            append: (stream) => store.append(stream, events(1, 'New'), NO_STREAM),
            expect: (outcome) =>
              expect(outcome).toMatchObject({
                status: 'fulfilled',
                value: { nextExpectedRevision: 0n },
              }),
            stored: ['New'],
          },
        };
        const kinds = Object.keys(cases);
        const setUp = await Promise.all(
          Array.from({ length: 40 }, async (_, index) => {
            const kind = kinds[index % kinds.length];
            const stream = streamName(kind);
            const [first] = events(1);
            if (kind !== 'new') await store.append(stream, [first], NO_STREAM);
            return { kind, stream, first };
          }),
        );
        const outcomes = await Promise.allSettled(
          setUp.map(({ kind, stream, first }) => cases[kind].append(stream, first)),
        );
        for (const [index, { kind, stream }] of setUp.entries()) {
          cases[kind].expect(outcomes[index], stream);
          const types = (await store.readStream(stream)).map((event) => event.type);
          expect(types).toEqual(cases[kind].stored);
        }
      });
    });

    describe('reading a stream', () => {
      let stream: string;
      beforeAll(async () => {
        stream = streamName('read');
        await store.append(stream, events(5), NO_STREAM);
      });
      const revisions = (read: RecordedEvent[]) => read.map((event) => event.revision);

      it('forwards, from a revision, with a limit', async () => {
        expect(revisions(await store.readStream(stream))).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(revisions(await store.readStream(stream, { from: 2n }))).toEqual([2n, 3n, 4n]);
        expect(revisions(await store.readStream(stream, { from: 1n, limit: 2 }))).toEqual([1n, 2n]);
      });

      it('backwards, from the end or a revision, with a limit', async () => {
        expect(revisions(await store.readStream(stream, { direction: 'backwards' }))).toEqual([
          4n,
          3n,
          2n,
          1n,
          0n,
        ]);
        expect(
          revisions(await store.readStream(stream, { direction: 'backwards', from: 2n, limit: 2 })),
        ).toEqual([2n, 1n]);
      });

      it('several streams at once, a missing one as empty', async () => {
        const other = streamName('read');
        await store.append(other, events(2), NO_STREAM);
        const missing = streamName('missing');
        const read = await store.readStreams([stream, missing, other]);
        expect([...read.keys()].sort()).toEqual([stream, missing, other].sort());
        expect(revisions(read.get(stream) ?? [])).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(revisions(read.get(other) ?? [])).toEqual([0n, 1n]);
        expect(read.get(missing)).toEqual([]);
        expect(await store.readStreams([])).toEqual(new Map());
      });

      it('a missing stream reads as empty', async () => {
        expect(await store.readStream(streamName('missing'))).toEqual([]);
        expect(await store.readStream(streamName('missing'), { direction: 'backwards' })).toEqual(
          [],
        );
      });
    });

    describe('reading all', () => {
      /**
       * Waits until readAll sees `count` events under `filter`. A log reader sees an event
       * once every transaction older than it has ended, in any database of the server
       * (docs/event-store.md): on a busy server, a moment after its append.
       */
      async function visibleToReadAll(filter: AllFilter, count: number): Promise<void> {
        await waitFor(
          async () =>
            (await store.readAll({ after: START, filter, limit: count + 1 })).length >= count,
          { timeoutMs: 20_000, message: `${count} events visible to readAll` },
        );
      }

      it('returns events after a checkpoint (exclusive), in global order, in batches', async () => {
        const prefix = `all-${randomUUID()}-`;
        const appended: string[] = [];
        for (let index = 0; index < 7; index += 1) {
          const batch = events(1 + (index % 2));
          await store.append(`${prefix}${index % 3}`, batch, ANY);
          appended.push(...batch.map((event) => event.id));
        }
        await visibleToReadAll({ streamPrefixes: [prefix] }, appended.length);
        const read: RecordedEvent[] = [];
        let after: Position = START;
        for (;;) {
          const batch = await store.readAll({
            after,
            filter: { streamPrefixes: [prefix] },
            limit: 3,
          });
          expect(batch.length).toBeLessThanOrEqual(3);
          if (batch.length === 0) break;
          read.push(...batch);
          after = batch[batch.length - 1].position;
        }
        expect(read.map((event) => event.id)).toEqual(appended);
        for (let index = 1; index < read.length; index += 1) {
          expect(comparePositions(read[index - 1].position, read[index].position)).toBe(-1);
        }
        const fromMiddle = await store.readAll({
          after: read[2].position,
          filter: { streamPrefixes: [prefix] },
          limit: 100,
        });
        expect(fromMiddle.map((event) => event.id)).toEqual(appended.slice(3));
      });

      it('filters by event type', async () => {
        const prefix = `types-${randomUUID()}-`;
        await store.append(
          `${prefix}a`,
          [newEvent('Kept', { n: 1 }), newEvent('Dropped', { n: 2 })],
          ANY,
        );
        await store.append(`${prefix}b`, [newEvent('Kept', { n: 3 })], ANY);
        await visibleToReadAll({ streamPrefixes: [prefix] }, 3);
        const read = await store.readAll({
          after: START,
          filter: { streamPrefixes: [prefix], eventTypes: ['Kept'] },
          limit: 100,
        });
        expect(read.map((event) => event.data.n)).toEqual([1, 3]);
      });
    });

    describe('multi-stream batch append', () => {
      it('stores the streams whose revisions match and reports the others', async () => {
        const [a, b, c] = [streamName('batch'), streamName('batch'), streamName('batch')];
        await store.append(b, events(2), NO_STREAM);
        const results = await store.appendMany([
          { stream: a, events: events(2), expectedRevision: NO_STREAM },
          { stream: b, events: events(1), expectedRevision: 0n },
          { stream: c, events: events(1), expectedRevision: ANY },
        ]);
        expect(results.map((result) => [result.stream, result.success])).toEqual([
          [a, true],
          [b, false],
          [c, true],
        ]);
        expect(results[0]).toMatchObject({ nextExpectedRevision: 1n });
        const failed = results[1];
        expect(!failed.success && failed.error).toBeInstanceOf(WrongExpectedVersionError);
        expect(!failed.success && failed.error).toMatchObject({
          stream: b,
          expected: 0n,
          actual: 1n,
        });
        expect(await store.readStream(a)).toHaveLength(2);
        expect(await store.readStream(b)).toHaveLength(2);
        expect(await store.readStream(c)).toHaveLength(1);
      });

      it('keeps each event of a batch as appended, at its revision, in order', async () => {
        // Characters an array or JSON encoding must escape, in names, types and data.
        const awkward = `q"u'o\\te{s},(p) ünï ✓`;
        const [a, b] = [streamName(`batch-${awkward}`), streamName(`batch-${awkward}`)];
        const shared = { instanceId: 'i-1', writeId: 'w-1', runId: null };
        const appended = {
          [a]: [
            newEvent(`Typed ${awkward}`, { note: awkward, nested: { list: [1, 'two'] } }, shared),
            newEvent('Plain', { n: 2 }),
          ],
          [b]: [
            newEvent('Plain', { n: 3 }, shared),
            newEvent('Plain', { n: 4 }, { instanceId: 'i-2', note: awkward }),
            newEvent('Plain', { n: 5 }, shared),
          ],
        };
        const results = await store.appendMany([
          { stream: b, events: appended[b], expectedRevision: NO_STREAM },
          { stream: a, events: appended[a], expectedRevision: NO_STREAM },
        ]);
        expect(results.map((result) => result.success && result.nextExpectedRevision)).toEqual([
          2n,
          1n,
        ]);
        for (const stream of [a, b]) {
          const stored = await store.readStream(stream);
          expect(
            stored.map(({ id, revision, type, data, metadata }) => ({
              id,
              revision,
              type,
              data,
              metadata,
            })),
          ).toEqual(
            appended[stream].map((event, i) => ({
              id: event.id,
              revision: BigInt(i),
              type: event.type,
              data: event.data,
              metadata: event.metadata ?? {},
            })),
          );
        }
      });

      it('a batch retried after a lost answer succeeds without storing twice', async () => {
        const [a, b] = [streamName('batch'), streamName('batch')];
        const requests: AppendRequest[] = [
          { stream: a, events: events(1), expectedRevision: NO_STREAM },
          { stream: b, events: events(2), expectedRevision: NO_STREAM },
        ];
        const first = await store.appendMany(requests);
        const retry = await store.appendMany(requests);
        expect(retry.map((result) => result.success)).toEqual([true, true]);
        expect(retry.map((result) => result.success && result.nextExpectedRevision)).toEqual(
          first.map((result) => result.success && result.nextExpectedRevision),
        );
        expect(await store.readStream(a)).toHaveLength(1);
        expect(await store.readStream(b)).toHaveLength(2);
      });

      it('one stream twice in a batch: the second request sees the first', async () => {
        const stream = streamName('batch');
        const results = await store.appendMany([
          { stream, events: events(1), expectedRevision: NO_STREAM },
          { stream, events: events(1), expectedRevision: 0n },
          { stream, events: events(1), expectedRevision: 0n },
        ]);
        expect(results.map((result) => result.success)).toEqual([true, true, false]);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('racing batches over the same streams never double-claim one', async () => {
        const streams = Array.from({ length: 20 }, () => streamName('batch-race'));
        await Promise.all(streams.map((stream) => store.append(stream, events(1), NO_STREAM)));
        const batches = await Promise.all(
          Array.from({ length: 4 }, (_, racer) =>
            store.appendMany(
              // each racer goes through the streams in its own order
              (racer % 2 === 0 ? streams : [...streams].reverse()).map((stream) => ({
                stream,
                events: [newEvent('Claimed', { racer })],
                expectedRevision: 0n,
              })),
            ),
          ),
        );
        const wins = batches.flat().filter((result) => result.success);
        expect(wins).toHaveLength(streams.length);
        expect(new Set(wins.map((win) => win.stream)).size).toBe(streams.length);
        for (const stream of streams) expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('all-or-nothing append (appendAll)', () => {
      const lengths = (streams: readonly string[]) =>
        Promise.all(streams.map(async (stream) => (await store.readStream(stream)).length));

      it('stores every request when every revision holds, answering in the order asked', async () => {
        const [a, b, c] = [streamName('all'), streamName('all'), streamName('all')];
        await store.append(b, events(2), NO_STREAM);
        const outcome = await store.appendAll([
          { stream: c, events: events(1), expectedRevision: NO_STREAM },
          { stream: a, events: events(2), expectedRevision: NO_STREAM },
          { stream: b, events: events(1), expectedRevision: 1n },
        ]);
        if (!outcome.success) throw new Error('appendAll failed');
        expect(outcome.results.map((result) => result.nextExpectedRevision)).toEqual([0n, 1n, 2n]);
        const lastOfB = (await store.readStream(b)).at(-1);
        expect(comparePositions(outcome.results[2].position, lastOfB!.position)).toBe(0);
        expect(await lengths([a, b, c])).toEqual([2, 3, 1]);
      });

      it.each([
        ['exact revisions only', false],
        ['with any and stream_exists', true],
      ])('when revisions do not hold (%s): lists why, and what it stored', async (_, loose) => {
        const [a, b, c, d] = Array.from({ length: 4 }, () => streamName('all'));
        await store.append(b, events(1), NO_STREAM);
        await store.append(d, events(2), NO_STREAM);
        const outcome = await store.appendAll([
          { stream: a, events: events(1), expectedRevision: loose ? ANY : NO_STREAM },
          { stream: b, events: events(1), expectedRevision: NO_STREAM },
          { stream: c, events: events(2), expectedRevision: NO_STREAM },
          { stream: d, events: events(1), expectedRevision: loose ? STREAM_EXISTS : 0n },
        ]);
        if (outcome.success) throw new Error('appendAll stored a batch that did not hold');
        const failed = outcome.conflicts.map(({ index, stream }) => [index, stream]);
        expect(outcome.conflicts[0].error).toBeInstanceOf(WrongExpectedVersionError);
        expect(outcome.conflicts[0].error).toMatchObject({
          stream: b,
          expected: NO_STREAM,
          actual: 0n,
        });
        if (appendAllKind === 'atomic') {
          // With stream_exists, d holds: only b fails.
          expect(failed).toEqual(
            loose
              ? [[1, b]]
              : [
                  [1, b],
                  [3, d],
                ],
          );
          expect(outcome.written).toEqual([]);
          expect(await lengths([a, b, c, d])).toEqual([0, 1, 0, 2]);
        } else {
          expect(failed).toEqual([[1, b]]);
          expect(outcome.written).toEqual([0]);
          expect(await lengths([a, b, c, d])).toEqual([1, 1, 0, 2]);
        }
      });

      it('a retry after a lost answer succeeds, also beside new requests, storing nothing twice', async () => {
        const [a, b, c] = [streamName('all'), streamName('all'), streamName('all')];
        const first: AppendRequest[] = [
          { stream: a, events: events(1), expectedRevision: NO_STREAM },
          { stream: b, events: events(2), expectedRevision: NO_STREAM },
        ];
        const stored = await store.appendAll(first);
        const retry = await store.appendAll(first);
        const wider = await store.appendAll([
          ...first,
          { stream: c, events: events(1), expectedRevision: NO_STREAM },
        ]);
        expect(retry).toEqual(stored);
        expect(wider.success).toBe(true);
        expect(await lengths([a, b, c])).toEqual([1, 2, 1]);
      });

      it('an event id reused for other content fails the batch with an id conflict', async () => {
        const [a, b] = [streamName('all'), streamName('all')];
        const [event] = events(1);
        await store.append(b, [event], NO_STREAM);
        const outcome = await store.appendAll([
          { stream: a, events: events(1), expectedRevision: NO_STREAM },
          { stream: b, events: [{ ...event, data: { index: 99 } }], expectedRevision: NO_STREAM },
        ]);
        if (outcome.success) throw new Error('appendAll stored an id twice');
        expect(outcome.conflicts.map(({ index }) => index)).toEqual([1]);
        expect(outcome.conflicts[0].error).toBeInstanceOf(EventIdConflictError);
        expect(await lengths([a, b])).toEqual([appendAllKind === 'atomic' ? 0 : 1, 1]);
      });

      it('racing batches over the same streams: each stream is claimed once, by whoever reports it', async () => {
        const streams = Array.from({ length: 20 }, () => streamName('all-race'));
        await Promise.all(streams.map((stream) => store.append(stream, events(1), NO_STREAM)));
        const orders = Array.from({ length: 4 }, (_, racer) =>
          racer % 2 === 0 ? streams : [...streams].reverse(),
        );
        const outcomes = await Promise.all(
          orders.map((order, racer) =>
            store.appendAll(
              order.map((stream) => ({
                stream,
                events: [newEvent('Claimed', { racer })],
                expectedRevision: 0n,
              })),
            ),
          ),
        );
        const claimed = new Map<string, number>();
        outcomes.forEach((outcome, racer) => {
          const indexes = outcome.success ? orders[racer].map((_, i) => i) : outcome.written;
          for (const index of indexes) claimed.set(orders[racer][index], racer);
        });
        expect([...claimed.keys()].sort()).toEqual([...streams].sort());
        for (const stream of streams) {
          const stored = await store.readStream(stream);
          expect(stored.map((event) => event.data.racer)).toEqual([undefined, claimed.get(stream)]);
        }
        if (appendAllKind === 'atomic') {
          expect(outcomes.filter((outcome) => outcome.success)).toHaveLength(1);
          expect(outcomes.flatMap((outcome) => (outcome.success ? [] : outcome.written))).toEqual(
            [],
          );
        }
      });
    });

    describe('catch-up subscription', () => {
      it('delivers what was stored, then live appends, each once and in order', async () => {
        const prefix = `sub-${randomUUID()}-`;
        await store.append(`${prefix}1`, events(3), NO_STREAM);
        const subscription = store.subscribeToAll({
          after: START,
          filter: { streamPrefixes: [prefix] },
          batchSize: 2,
        });
        const seen: RecordedEvent[] = [];
        const reading = (async () => {
          for await (const event of subscription) {
            seen.push(event);
            if (seen.length === 3) await store.append(`${prefix}2`, events(2), NO_STREAM);
            if (seen.length === 5) break;
          }
        })();
        await reading;
        await subscription.close();
        expect(seen.map((event) => [event.stream, event.revision])).toEqual([
          [`${prefix}1`, 0n],
          [`${prefix}1`, 1n],
          [`${prefix}1`, 2n],
          [`${prefix}2`, 0n],
          [`${prefix}2`, 1n],
        ]);
      });

      it('stops when closed while waiting for events', async () => {
        const subscription = store.subscribeToAll({
          after: START,
          filter: { streamPrefixes: [`idle-${randomUUID()}`] },
        });
        const reading = (async () => {
          let count = 0;
          for await (const _event of subscription) count += 1;
          return count;
        })();
        await subscription.close();
        await expect(reading).resolves.toBe(0);
      });
    });
  });
}
