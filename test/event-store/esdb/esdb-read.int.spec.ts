import { randomUUID } from 'node:crypto';
import { binaryEvent, jsonEvent } from '@eventstore/db-client';
import { newEvent } from '../../../src/event-store/event-data';
import { ANY, NO_STREAM } from '../../../src/event-store/expected-revision';
import { comparePositions, START } from '../../../src/event-store/position';
import type { RecordedEvent } from '../../../src/event-store/recorded-event';
import { openEsdbStore, type OpenEsdbStore } from '../../support/esdb-double/open-esdb-store';
import { rejectionOf } from './take-events';

const ids = (events: readonly RecordedEvent[]) => events.map((event) => event.id);

describe('EventStoreDB adapter: reads', () => {
  let open: OpenEsdbStore;
  beforeEach(async () => {
    open = await openEsdbStore({ store: { readAllPageSize: 4 } });
  });
  afterEach(async () => open.close());

  it('reads a stream both ways, from a revision, with a limit', async () => {
    const name = `invoice-${randomUUID()}`;
    await open.store.append(
      name,
      Array.from({ length: 4 }, (_, n) => newEvent('T', { n })),
      NO_STREAM,
    );
    const revisions = async (options: Parameters<typeof open.store.readStream>[1]) =>
      (await open.store.readStream(name, options)).map((event) => event.revision);
    expect(await revisions({ from: 3n })).toEqual([3n]);
    expect(await revisions({ from: 9n })).toEqual([]);
    expect(await revisions({ from: 'end' })).toEqual([]);
    expect(await revisions({ direction: 'backwards', limit: 2 })).toEqual([3n, 2n]);
    expect(await revisions({ direction: 'backwards', from: 'start' })).toEqual([0n]);
    expect(await revisions({ limit: 0 })).toEqual([]);
  });

  it('never returns system events from $all: $-types, or anything in $-streams', async () => {
    expect(open.double.log.all.length).toBeGreaterThan(0); // the double's seeded system events
    const mine = newEvent('InvoiceIssued', { n: 1 });
    await open.store.append('invoice-1', [mine], NO_STREAM);
    await open.client.appendToStream('$internal-notes', jsonEvent({ type: 'Note', data: {} }));
    await open.client.appendToStream('invoice-1', jsonEvent({ type: '$metadata-like', data: {} }));
    const read = await open.store.readAll({ after: START, limit: 100 });
    expect(ids(read)).toEqual([mine.id]);
  });

  it('reads $all after a checkpoint, exclusively, page after page until the batch is full', async () => {
    const prefix = `sparse-${randomUUID()}-`;
    const wanted: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      const event = newEvent('T', { index });
      // one event in three matches: pages of 4 hold one or two matches each
      const target = index % 3 === 0 ? `${prefix}${index}` : `other-${randomUUID()}`;
      await open.store.append(target, [event], ANY);
      if (index % 3 === 0) wanted.push(event.id);
    }
    const filter = { streamPrefixes: [prefix] };
    const first = await open.store.readAll({ after: START, filter, limit: 3 });
    expect(ids(first)).toEqual(wanted.slice(0, 3));
    const rest = await open.store.readAll({ after: first[2].position, filter, limit: 3 });
    expect(ids(rest)).toEqual(wanted.slice(3));
    expect(await open.store.readAll({ after: rest[0].position, filter, limit: 3 })).toEqual([]);
  });

  it('filters event types exactly, even with regex characters in the names', async () => {
    const name = `types-${randomUUID()}`;
    const kept = newEvent('Invoice.Paid', {});
    await open.store.append(
      name,
      [
        kept,
        newEvent('InvoiceXPaid', {}),
        newEvent('Invoice.Paid.Late', {}),
        newEvent('Other', {}),
      ],
      NO_STREAM,
    );
    const read = await open.store.readAll({
      after: START,
      filter: { eventTypes: ['Invoice.Paid'] },
      limit: 10,
    });
    expect(ids(read)).toEqual([kept.id]);
    expect(
      await open.store.readAll({ after: START, filter: { eventTypes: [] }, limit: 10 }),
    ).toEqual([]);
  });

  it('refuses an event that is not a JSON object instead of skipping it', async () => {
    const name = `invoice-${randomUUID()}`;
    await open.client.appendToStream(
      name,
      binaryEvent({ type: 'Blob', data: Uint8Array.from([1, 2]) }),
    );
    await expect(open.store.readStream(name)).rejects.toThrow('is not a JSON object event');
  });
});

describe('EventStoreDB adapter: a server without $all positions on stream reads (before 22.6)', () => {
  let open: OpenEsdbStore;
  beforeEach(async () => {
    open = await openEsdbStore({ double: { streamReadPositions: false } });
  });
  afterEach(async () => open.close());

  it("appends, answering with the append's own position, never the missing one", async () => {
    const name = `invoice-${randomUUID()}`;
    const one = await open.store.append(name, [newEvent('T', { n: 0 })], NO_STREAM);
    const three = await open.store.append(
      name,
      [1, 2, 3].map((n) => newEvent('T', { n })),
      0n,
    );
    const all = await open.store.readAll({ after: START, limit: 10 });

    expect(all.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n]);
    expect(one.position).toEqual(all[0].position);
    // Several events: after every event but the last, and at or before the last, so
    // waiting for it never waits forever and never passes before the earlier ones.
    expect(comparePositions(three.position, all[2].position)).toBe(1);
    expect(comparePositions(three.position, all[3].position)).toBeLessThanOrEqual(0);
  });

  it('refuses a stream read, naming the server version it needs, rather than return Position.End', async () => {
    const name = `invoice-${randomUUID()}`;
    await open.store.append(name, [newEvent('T', {})], NO_STREAM);

    const error = (await rejectionOf(open.store.readStream(name))) as Error;
    expect(error.message).toMatch(/no \$all position .*EventStoreDB 22\.6 or later/s);
  });
});
