import { billingTuning } from '../../../src/billing/billing-tuning';
import { CommandExecutor } from '../../../src/billing/command-executor';
import { ConcurrentWritesError } from '../../../src/billing/concurrent-writes.error';
import { accept, reject } from '../../../src/billing/domain';
import { deterministicEventId } from '../../../src/billing/store/deterministic-event-id';
import type { StreamDecider } from '../../../src/billing/store/stream-decider';
import { StreamRepository } from '../../../src/billing/store/stream-repository';
import { loadConfig } from '../../../src/config/load-config';
import { WrongExpectedVersionError } from '../../../src/event-store/errors/wrong-expected-version.error';
import type { EventStore } from '../../../src/event-store/event-store.port';
import { openPgliteStore, type OpenStore } from '../../support/event-store-backends';

/** A counter stream: `Add` appends Added unless the total would pass the limit. */
type Add = { readonly counter: string; readonly by: number; readonly limit: number };
type Added = { readonly type: 'Added'; readonly data: { readonly by: number } };
const counterDecider: StreamDecider<Add, number, Added, 'OVER_LIMIT'> = {
  idOf: (command) => command.counter,
  streamName: (id) => `counter-${id}`,
  initialState: 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command, total) => {
    if (command.by === 0) return accept();
    if (total + command.by > command.limit) return reject('OVER_LIMIT', `${total} + ${command.by}`);
    return accept({ type: 'Added', data: { by: command.by } });
  },
  fromRecorded: (recorded) => ({ type: 'Added', data: { by: Number(recorded.data.by) } }),
  eventId: (_event, id, revision) => deterministicEventId('Added', id, String(revision)),
};

describe('the command executor, over any stream', () => {
  let open: OpenStore;
  const config = loadConfig({
    ANTAEUS_INSTANCE_ID: 'instance-1',
    DATABASE_URL: 'postgres://x@y/z',
  });
  const clock = { now: () => new Date('2026-12-01T00:00:00.000Z') };
  const cause = { runId: null, causation: 'test', causationId: null };
  const executorOver = (store: EventStore) =>
    new CommandExecutor(new StreamRepository(store), config, clock, billingTuning(config.billing));

  beforeAll(async () => {
    open = await openPgliteStore();
  });
  afterAll(async () => open?.close());

  it('folds the stream, decides, appends at the revision read with one metadata shape', async () => {
    const executor = executorOver(open.store);
    const first = await executor.execute(counterDecider, { counter: 'a', by: 2, limit: 5 }, cause);
    const second = await executor.execute(counterDecider, { counter: 'a', by: 3, limit: 5 }, cause);
    expect(first.ok && first.state).toBe(2);
    expect(second.ok && second.state).toBe(5);
    expect(second.ok && second.result?.nextExpectedRevision).toBe(1n);
    const refused = await executor.execute(
      counterDecider,
      { counter: 'a', by: 1, limit: 5 },
      cause,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'OVER_LIMIT' } });
    const recorded = await open.store.readStream('counter-a');
    expect(recorded.map((event) => event.data.by)).toEqual([2, 3]);
    expect(recorded[0].metadata).toEqual({
      instanceId: 'instance-1',
      runId: null,
      causation: 'test',
      causationId: null,
      writeId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(recorded[0].metadata.writeId).not.toBe(recorded[1].metadata.writeId);
  });

  it('appends nothing when the decision has no events', async () => {
    const nothing = await executorOver(open.store).execute(
      counterDecider,
      { counter: 'a', by: 0, limit: 5 },
      cause,
    );
    expect(nothing).toMatchObject({ ok: true, state: 5, events: [], result: null });
    expect(await open.store.readStream('counter-a')).toHaveLength(2);
  });

  it('re-reads and decides again when another writer appended first', async () => {
    let raced = false;
    const racing: EventStore = Object.create(open.store) as EventStore;
    racing.append = async (stream, events, expected) => {
      if (!raced) {
        raced = true;
        // Another writer takes the revision this one read.
        await executorOver(open.store).execute(
          counterDecider,
          { counter: 'b', by: 4, limit: 5 },
          cause,
        );
      }
      return open.store.append(stream, events, expected);
    };
    const outcome = await executorOver(racing).execute(
      counterDecider,
      { counter: 'b', by: 2, limit: 5 },
      cause,
    );
    // The retry saw the other writer's 4: 4 + 2 passes the limit.
    expect(outcome).toMatchObject({ ok: false, error: { code: 'OVER_LIMIT', message: '4 + 2' } });
    expect((await open.store.readStream('counter-b')).map((event) => event.data.by)).toEqual([4]);
  });

  it('gives up after the configured number of conflicts', async () => {
    const conflicting: EventStore = Object.create(open.store) as EventStore;
    let appends = 0;
    conflicting.append = () => {
      appends++;
      return Promise.reject(new WrongExpectedVersionError('counter-c', 'no_stream', 0n));
    };
    await expect(
      executorOver(conflicting).execute(counterDecider, { counter: 'c', by: 1, limit: 5 }, cause),
    ).rejects.toBeInstanceOf(ConcurrentWritesError);
    expect(appends).toBe(billingTuning(config.billing).conflictRetries + 1);
  });
});
