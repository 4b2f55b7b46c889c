import { randomUUID } from 'node:crypto';
import { newEvent } from '../../src/event-store/event-data';
import { NO_STREAM } from '../../src/event-store/expected-revision';
import { openPostgresStore, type OpenStore } from '../support/event-store-backends';

const APPENDS = 32;

/**
 * Group commit (AppendBatcher): single appends that arrive while every lane is busy share
 * one statement and one transaction. The commit position of a PostgreSQL event is its
 * transaction's id, so counting distinct commit positions counts transactions.
 */
describe('group commit of single appends on PostgreSQL', () => {
  let subject: OpenStore;
  beforeAll(async () => {
    subject = await openPostgresStore('group_commit');
  });
  afterAll(async () => subject?.close());

  it(`${APPENDS} concurrent appends to new streams commit in a few transactions, each stored once`, async () => {
    const prefix = `group-${randomUUID()}-`;
    const names = Array.from({ length: APPENDS }, (_, n) => `${prefix}${n}`);
    const results = await Promise.all(
      names.map((stream, n) =>
        subject.store.append(stream, [newEvent('Grouped', { n })], NO_STREAM),
      ),
    );
    const streams = await subject.store.readStreams(names);
    const stored = [...streams.values()];
    expect(stored.map((events) => events.length)).toEqual(Array(APPENDS).fill(1));
    stored.forEach((events, n) => expect(events[0].data).toEqual({ n }));

    // The first appends find lanes free and go alone; the rest wait and go together.
    const transactions = new Set(results.map((result) => result.position.commit));
    expect(transactions.size).toBeLessThanOrEqual(8);
    // Each answer is its own event's position.
    for (const [n, events] of stored.entries()) {
      expect(events[0].position).toEqual(results[n].position);
    }
  });

  it('one append of a batch that breaks a unique index fails alone; the others are stored', async () => {
    const prefix = `group-${randomUUID()}-`;
    const reused = newEvent('Grouped', { n: 0 });
    await subject.store.append(`${prefix}owner`, [reused], NO_STREAM);
    // Its stream is where it expects, but its event id is stored already: the batch's
    // statement fails on the unique index, and every append of it is decided again alone.
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: APPENDS }, (_, n) =>
        subject.store.append(`${prefix}${n}`, [newEvent('Grouped', { n })], NO_STREAM),
      ),
      subject.store.append(`${prefix}thief`, [{ ...reused, data: { n: -1 } }], NO_STREAM),
    ]);
    const thief = outcomes.pop();
    expect(thief).toMatchObject({
      status: 'rejected',
      reason: { code: 'EVENT_ID_CONFLICT', eventId: reused.id },
    });
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    const streams = await subject.store.readStreams([
      ...outcomes.map((_, n) => `${prefix}${n}`),
      `${prefix}thief`,
      `${prefix}owner`,
    ]);
    expect([...streams.values()].map((events) => events.length)).toEqual([
      ...Array(APPENDS).fill(1),
      0,
      1,
    ]);
  });
});
