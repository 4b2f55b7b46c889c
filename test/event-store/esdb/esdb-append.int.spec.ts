import { randomUUID } from 'node:crypto';
import { newEvent, type EventData } from '../../../src/event-store/event-data';
import { EventIdConflictError } from '../../../src/event-store/errors/event-id-conflict.error';
import { InvalidAppendError } from '../../../src/event-store/errors/invalid-append.error';
import { WrongExpectedVersionError } from '../../../src/event-store/errors/wrong-expected-version.error';
import { ANY, NO_STREAM, STREAM_EXISTS } from '../../../src/event-store/expected-revision';
import { openEsdbStore, type OpenEsdbStore } from '../../support/esdb-double/open-esdb-store';
import { rejectionOf } from './take-events';

describe('EventStoreDB adapter: append', () => {
  let open: OpenEsdbStore;
  beforeEach(async () => {
    open = await openEsdbStore();
  });
  afterEach(async () => open.close());

  const stream = () => `invoice-${randomUUID()}`;
  const events = (count: number) =>
    Array.from({ length: count }, (_, n) => newEvent('Tested', { n }));

  it('answers with the position of the last event appended, as a read gives it', async () => {
    const name = stream();
    const result = await open.store.append(name, events(3), NO_STREAM);
    const stored = await open.store.readStream(name);
    // The server (and the double) answers a write of 3 with the transaction's first record
    // as prepare position: the adapter reports the last event's, from the read-back.
    expect(result).toEqual({ nextExpectedRevision: 2n, position: stored[2].position });
  });

  it('maps each expected revision one to one, with the actual revision on failure', async () => {
    const name = stream();
    const error = await rejectionOf(open.store.append(name, events(1), STREAM_EXISTS));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ stream: name, expected: STREAM_EXISTS, actual: NO_STREAM });
    await open.store.append(name, events(2), ANY);
    expect(await rejectionOf(open.store.append(name, events(1), NO_STREAM))).toMatchObject({
      expected: NO_STREAM,
      actual: 1n,
    });
    expect(await rejectionOf(open.store.append(name, events(1), 0n))).toMatchObject({
      expected: 0n,
      actual: 1n,
    });
    await expect(open.store.append(name, events(1), 1n)).resolves.toMatchObject({
      nextExpectedRevision: 2n,
    });
  });

  it('treats a retry with reordered JSON keys and upper-case ids as the same events', async () => {
    const name = stream();
    const event = newEvent('Tested', { a: 1, b: { c: 2, d: [1, 2] } }, { x: 'y', z: 1 });
    const first = await open.store.append(name, [event], NO_STREAM);
    const retry: EventData = {
      id: event.id.toUpperCase(),
      type: event.type,
      data: { b: { d: [1, 2], c: 2 }, a: 1 },
      metadata: { z: 1, x: 'y' },
    };
    await expect(open.store.append(name, [retry], NO_STREAM)).resolves.toEqual(first);
    expect(await open.store.readStream(name)).toHaveLength(1);
  });

  it('reports other metadata under a reused id as an id conflict', async () => {
    const name = stream();
    const event = newEvent('Tested', { n: 1 }, { instance: 'a' });
    await open.store.append(name, [event], NO_STREAM);
    const error = await rejectionOf(
      open.store.append(name, [{ ...event, metadata: { instance: 'b' } }], NO_STREAM),
    );
    expect(error).toBeInstanceOf(EventIdConflictError);
    expect((error as Error).message).toContain('other content');
  });

  it('reports ids answered as idempotent from other revisions (any) as an id conflict', async () => {
    const name = stream();
    const [first, second] = events(2);
    await open.store.append(name, [first], ANY);
    await open.store.append(name, events(1), ANY);
    await open.store.append(name, [second], ANY);
    // EventStoreDB finds both ids in the stream (revisions 0 and 2) and stores nothing.
    const error = await rejectionOf(open.store.append(name, [first, second], ANY));
    expect(error).toBeInstanceOf(EventIdConflictError);
    expect((error as Error).message).toContain('elsewhere');
    expect(await open.store.readStream(name)).toHaveLength(3);
  });

  it('follows EventStoreDB where a retry only partly matches: a wrong expected version', async () => {
    const name = stream();
    const [kept] = events(1);
    await open.store.append(name, [kept, ...events(1)], NO_STREAM);
    const error = await rejectionOf(open.store.append(name, [kept, ...events(1)], NO_STREAM));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ expected: NO_STREAM, actual: 1n });
  });

  it('cannot see an id reused in another stream: EventStoreDB keeps ids per stream', async () => {
    const event = newEvent('Tested', { n: 1 });
    await open.store.append(stream(), [event], NO_STREAM);
    const other = stream();
    await expect(open.store.append(other, [event], NO_STREAM)).resolves.toMatchObject({
      nextExpectedRevision: 0n,
    });
    expect((await open.store.readStream(other))[0].id).toBe(event.id);
  });

  it('validates before any I/O', async () => {
    await open.double.stop();
    await expect(open.store.append(stream(), [], ANY)).rejects.toBeInstanceOf(InvalidAppendError);
    await expect(
      open.store.append(stream(), [{ ...newEvent('T', {}), id: 'not-a-uuid' }], ANY),
    ).rejects.toBeInstanceOf(InvalidAppendError);
    await expect(open.store.append(stream(), events(1), -1n)).rejects.toBeInstanceOf(
      InvalidAppendError,
    );
    await expect(
      open.store.appendMany([{ stream: stream(), events: [], expectedRevision: ANY }]),
    ).rejects.toBeInstanceOf(InvalidAppendError);
  });

  it('appendMany reports an id conflict per stream and stores the others', async () => {
    const [a, b] = [stream(), stream()];
    const [event] = events(1);
    await open.store.append(a, [event], NO_STREAM);
    const results = await open.store.appendMany([
      { stream: a, events: [{ ...event, data: { n: 42 } }], expectedRevision: NO_STREAM },
      { stream: b, events: events(1), expectedRevision: NO_STREAM },
    ]);
    expect(results.map((result) => result.success)).toEqual([false, true]);
    expect(!results[0].success && results[0].error).toBeInstanceOf(EventIdConflictError);
    expect(await open.store.readStream(b)).toHaveLength(1);
  });
});
