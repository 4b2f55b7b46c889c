import { randomUUID } from 'node:crypto';
import { jsonEvent } from '@eventstore/db-client';
import { newEvent } from '../../../src/event-store/event-data';
import { NO_STREAM } from '../../../src/event-store/expected-revision';
import { START } from '../../../src/event-store/position';
import { openEsdbStore, type OpenEsdbStore } from '../../support/esdb-double/open-esdb-store';
import { takeEvents } from './take-events';

describe('EventStoreDB adapter: subscription to $all', () => {
  let open: OpenEsdbStore;
  beforeEach(async () => {
    open = await openEsdbStore();
  });
  afterEach(async () => open.close());

  it('catches up from a checkpoint (exclusive), then receives live appends', async () => {
    const name = `invoice-${randomUUID()}`;
    const stored = Array.from({ length: 3 }, (_, n) => newEvent('T', { n }));
    await open.store.append(name, stored, NO_STREAM);
    const [, second] = await open.store.readStream(name);

    const subscription = open.store.subscribeToAll({ after: second.position });
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await takeEvents(iterator, 1)).map((event) => event.id)).toEqual([stored[2].id]);

    const live = [newEvent('T', { n: 3 }), newEvent('T', { n: 4 })];
    await open.store.append(name, live, 2n);
    const received = await takeEvents(iterator, 2);
    expect(received.map((event) => [event.id, event.revision])).toEqual([
      [live[0].id, 3n],
      [live[1].id, 4n],
    ]);
    await subscription.close();
    await expect(iterator.next()).resolves.toMatchObject({ done: true });
  });

  it('skips the event at the checkpoint when the server sends it again', async () => {
    const name = `invoice-${randomUUID()}`;
    const stored = [newEvent('T', { n: 0 }), newEvent('T', { n: 1 })];
    await open.store.append(name, stored, NO_STREAM);
    const [first] = await open.store.readStream(name);
    open.double.setSubscriptionsIncludeStart(true);
    const subscription = open.store.subscribeToAll({ after: first.position });
    const received = await takeEvents(subscription[Symbol.asyncIterator](), 1);
    expect(received.map((event) => event.id)).toEqual([stored[1].id]);
    await subscription.close();
  });

  it('delivers only what the filter asks for, never system events, also when live', async () => {
    const subscription = open.store.subscribeToAll({
      after: START,
      filter: { eventTypes: ['Kept'], streamPrefixes: ['invoice-'] },
    });
    const iterator = subscription[Symbol.asyncIterator]();
    const kept = newEvent('Kept', {});
    await open.client.appendToStream('$internal', jsonEvent({ type: 'Kept', data: {} }));
    await open.store.append('billing-run-1', [newEvent('Kept', {})], NO_STREAM);
    await open.store.append('invoice-1', [newEvent('Dropped', {}), kept], NO_STREAM);
    const last = newEvent('Kept', { last: true });
    await open.store.append('invoice-2', [last], NO_STREAM);
    const received = await takeEvents(iterator, 2);
    expect(received.map((event) => event.id)).toEqual([kept.id, last.id]);
    await subscription.close();
  });

  it('ends open subscriptions when the store closes', async () => {
    const subscription = open.store.subscribeToAll({ after: START });
    const iterator = subscription[Symbol.asyncIterator]();
    const next = iterator.next();
    await open.store.close();
    await expect(next).resolves.toMatchObject({ done: true });
  });
});
