import { randomUUID } from 'node:crypto';
import { newEvent } from '../../../src/event-store/event-data';
import { EventStoreUnavailableError } from '../../../src/event-store/errors/event-store-unavailable.error';
import { ANY, NO_STREAM } from '../../../src/event-store/expected-revision';
import { START } from '../../../src/event-store/position';
import { openEsdbStore, type OpenEsdbStore } from '../../support/esdb-double/open-esdb-store';
import { rejectionOf, takeEvents } from './take-events';

describe('EventStoreDB adapter: unavailable server', () => {
  let open: OpenEsdbStore;
  beforeEach(async () => {
    open = await openEsdbStore();
  });
  afterEach(async () => open.close());

  const stream = () => `invoice-${randomUUID()}`;

  it('maps every call on a stopped server to EventStoreUnavailableError', async () => {
    const name = stream();
    await open.store.append(name, [newEvent('Tested', {})], NO_STREAM);
    await open.double.stop();

    const append = await rejectionOf(open.store.append(name, [newEvent('Tested', {})], 0n));
    expect(append).toBeInstanceOf(EventStoreUnavailableError);
    expect((append as Error).cause).toMatchObject({ code: 14 });
    await expect(open.store.readStream(name)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(open.store.readAll({ after: START, limit: 10 })).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
    await expect(
      open.store.appendMany([
        { stream: name, events: [newEvent('Tested', {})], expectedRevision: ANY },
      ]),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(open.store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('ends a subscription with EventStoreUnavailableError when the server goes away', async () => {
    const name = stream();
    await open.store.append(name, [newEvent('Tested', {})], NO_STREAM);
    const iterator = open.store.subscribeToAll({ after: START })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ stream: name });
    const next = iterator.next();
    await open.double.stop();
    await expect(next).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('works again, on the same client, when the server comes back with its log', async () => {
    const name = stream();
    const first = await open.store.append(name, [newEvent('Tested', { n: 1 })], NO_STREAM);
    const subscription = open.store.subscribeToAll({ after: START });
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ stream: name });
    const dropped = iterator.next();
    await open.double.stop();
    await expect(dropped).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(open.store.readStream(name)).rejects.toBeInstanceOf(EventStoreUnavailableError);

    await open.double.restart();
    await expect(open.store.ping()).resolves.toBeUndefined();
    const second = await open.store.append(name, [newEvent('Tested', { n: 2 })], 0n);
    expect(second.nextExpectedRevision).toBe(1n);
    expect((await open.store.readStream(name)).map((event) => event.data)).toEqual([
      { n: 1 },
      { n: 2 },
    ]);
    // A subscription started again from where the dropped one was resumes there.
    const resumed = open.store.subscribeToAll({ after: first.position });
    const [next] = await takeEvents(resumed[Symbol.asyncIterator](), 1);
    expect(next).toMatchObject({ stream: name, revision: 1n, position: second.position });
    await resumed.close();
  });

  it('pings a live server', async () => {
    await expect(open.store.ping()).resolves.toBeUndefined();
  });
});

describe('EventStoreDB adapter: slow server', () => {
  let open: OpenEsdbStore;
  beforeEach(async () => {
    open = await openEsdbStore({ params: 'defaultDeadline=300', store: { pingTimeoutMs: 300 } });
  });
  afterEach(async () => open.close());

  it('maps a deadline exceeded to EventStoreUnavailableError; a retry with the same ids is idempotent', async () => {
    const name = `invoice-${randomUUID()}`;
    const batch = [newEvent('ChargeAttempted', { attempt: 1 })];
    open.double.setResponseDelay(2_000);
    const error = await rejectionOf(open.store.append(name, batch, NO_STREAM));
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as Error).cause).toMatchObject({ code: 4 });
    // The outcome was unknown to the caller; the double had applied the write.
    expect(open.double.log.stream(name)).toHaveLength(1);

    open.double.setResponseDelay(0);
    await expect(open.store.append(name, batch, NO_STREAM)).resolves.toMatchObject({
      nextExpectedRevision: 0n,
    });
    expect(await open.store.readStream(name)).toHaveLength(1);
  });

  it('fails a ping the server does not answer in time', async () => {
    open.double.setResponseDelay(2_000);
    const error = await rejectionOf(open.store.ping());
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as Error).message).toContain('300 ms');
  });
});
