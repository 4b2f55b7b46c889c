import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/esdb-double';
import { waitFor } from '../../support/wait-for';
import { rejectionOf, takeEvents } from './take-events';

/** The double itself, through the real client: the server behaviour the adapter relies on. */
describe('EventStoreDB double (gRPC protocol)', () => {
  let double: EsdbDouble;
  let client: EventStoreDBClient;
  beforeEach(async () => {
    double = await startEsdbDouble({ systemEvents: false });
    client = EventStoreDBClient.connectionString(double.connectionString);
  });
  afterEach(async () => {
    await client.dispose();
    await double.stop();
  });

  const event = (id = randomUUID(), data: Record<string, unknown> = {}) =>
    jsonEvent({ id, type: 'T', data });
  const collect = async <T>(read: AsyncIterable<T>): Promise<T[]> => {
    const items: T[] = [];
    for await (const item of read) items.push(item);
    return items;
  };
  const revisions = (read: ResolvedEvent[]) => read.map((resolved) => resolved.event?.revision);

  it('answers a wrong expected version in the response body, with expected and current', async () => {
    await client.appendToStream('s', [event(), event()], { expectedRevision: 'no_stream' });
    const error = await rejectionOf(
      client.appendToStream('s', event(), { expectedRevision: 'no_stream' }),
    );
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 1n });
    const missing = await rejectionOf(
      client.appendToStream('t', event(), { expectedRevision: 'stream_exists' }),
    );
    expect(missing).toMatchObject({ expectedVersion: 'stream_exists', actualVersion: 'no_stream' });
  });

  it('applies the id idempotency rules, comparing ids and never content', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await client.appendToStream('s', [event(a), event(b)], { expectedRevision: 'no_stream' });
    // same ids at the same place, other content: idempotent, nothing written
    await expect(
      client.appendToStream('s', [event(a, { other: 1 }), event(b)], {
        expectedRevision: 'no_stream',
      }),
    ).resolves.toMatchObject({ success: true, nextExpectedRevision: 1n });
    // any: first id seen, second new -> corrupted idempotency, a wrong expected version
    await expect(
      client.appendToStream('s', [event(a), event()], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    // any: first id new -> written, even though the second was seen (a duplicate id)
    await expect(
      client.appendToStream('s', [event(), event(b)], { expectedRevision: 'any' }),
    ).resolves.toMatchObject({
      nextExpectedRevision: 3n,
    });
    expect(double.log.stream('s')).toHaveLength(4);
  });

  it('rejects an append over the maximum append size', async () => {
    const big = event(randomUUID(), { blob: 'x'.repeat(1024 * 1024) });
    await expect(client.appendToStream('s', big)).rejects.toBeInstanceOf(
      MaxAppendSizeExceededError,
    );
  });

  it('reads streams both ways and reports a missing stream', async () => {
    await client.appendToStream('s', [event(), event(), event()]);
    expect(
      revisions(await collect(client.readStream('s', { fromRevision: 1n, maxCount: 5 }))),
    ).toEqual([1n, 2n]);
    expect(
      revisions(await collect(client.readStream('s', { direction: BACKWARDS, fromRevision: END }))),
    ).toEqual([2n, 1n, 0n]);
    expect(
      revisions(await collect(client.readStream('s', { direction: BACKWARDS, fromRevision: 1n }))),
    ).toEqual([1n, 0n]);
    await expect(collect(client.readStream('missing'))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('reads $all forwards from a position inclusively and backwards exclusively', async () => {
    await client.appendToStream('s', [event(), event(), event()]);
    const all = await collect(client.readAll({ fromPosition: START, direction: FORWARDS }));
    const positions = all.map((resolved) => resolved.event?.position);
    const middle = positions[1];
    if (!middle) throw new Error('no position');
    const forwards = await collect(client.readAll({ fromPosition: middle }));
    expect(forwards.map((resolved) => resolved.event?.position)).toEqual(positions.slice(1));
    const backwards = await collect(client.readAll({ fromPosition: middle, direction: BACKWARDS }));
    expect(backwards.map((resolved) => resolved.event?.position)).toEqual([positions[0]]);
    expect(positions.every((position) => position && position.commit === position.prepare)).toBe(
      true,
    );
  });

  it('subscribes to a stream after a revision: confirmation, history, caught up, live', async () => {
    await client.appendToStream('s', [event(), event()]);
    const subscription = client.subscribeToStream('s', { fromRevision: 0n });
    let confirmed = false;
    let caughtUp = false;
    subscription.on('confirmation', () => {
      confirmed = true;
    });
    subscription.on('caughtUp', () => {
      caughtUp = true;
    });
    const iterator = subscription[Symbol.asyncIterator]();
    expect(revisions(await takeEvents(iterator, 1))).toEqual([1n]);
    await waitFor(() => confirmed && caughtUp, { message: 'confirmation and caught_up' });
    await client.appendToStream('other', event());
    await client.appendToStream('s', event());
    expect(revisions(await takeEvents(iterator, 1))).toEqual([2n]);
    await subscription.unsubscribe();
  });

  it('filters a $all subscription by stream-name regex and reports checkpoints', async () => {
    await client.appendToStream('invoice-1', event());
    await client.appendToStream('run-1', event());
    const checkpoints: bigint[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({
        regex: '^invoice-',
        checkpointReached: (_, p) => void checkpoints.push(p.commit),
      }),
    });
    const iterator = subscription[Symbol.asyncIterator]();
    await client.appendToStream('invoice-2', event());
    const received = await takeEvents(iterator, 2);
    expect(received.map((resolved) => resolved.event?.streamId)).toEqual([
      'invoice-1',
      'invoice-2',
    ]);
    await waitFor(() => checkpoints.length > 0, { message: 'a checkpoint' });
    await subscription.unsubscribe();
  });
});
