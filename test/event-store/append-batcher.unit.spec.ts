import { AppendBatcher } from '../../src/event-store/postgres/append-batcher';

interface Request {
  readonly stream: string;
  readonly n: number;
}

/** A flush held open until the test settles it, recording every batch it was given. */
class HeldFlush {
  readonly batches: Request[][] = [];
  private readonly pending: {
    resolve: (results: string[]) => void;
    reject: (error: Error) => void;
  }[] = [];

  readonly flush = (batch: readonly Request[]): Promise<string[]> => {
    this.batches.push([...batch]);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  };

  get inFlight(): number {
    return this.pending.length;
  }

  /** Answers the oldest batch in flight: each request gets `<stream>:<n>`. */
  answerOldest(): void {
    const batch = this.batches[this.batches.length - this.pending.length];
    this.pending.shift()?.resolve(batch.map((r) => `${r.stream}:${r.n}`));
  }

  failOldest(error: Error): void {
    this.pending.shift()?.reject(error);
  }
}

/** Lets every settled promise's reactions run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));
const request = (stream: string, n: number): Request => ({ stream, n });

describe('AppendBatcher (group commit)', () => {
  it('sends a lone append at once, alone', async () => {
    const held = new HeldFlush();
    const batcher = new AppendBatcher(held.flush, { lanes: 2, maxBatch: 10 });
    const answer = batcher.submit(request('a', 1));
    expect(held.batches).toEqual([[request('a', 1)]]);
    held.answerOldest();
    await expect(answer).resolves.toBe('a:1');
  });

  it('never has more batches in flight than lanes; the queue goes out as one batch', async () => {
    const held = new HeldFlush();
    const batcher = new AppendBatcher(held.flush, { lanes: 2, maxBatch: 10 });
    const answers = ['a', 'b', 'c', 'd', 'e'].map((stream, n) =>
      batcher.submit(request(stream, n)),
    );
    expect(held.inFlight).toBe(2);
    expect(held.batches).toEqual([[request('a', 0)], [request('b', 1)]]);

    held.answerOldest();
    await settle();
    expect(held.inFlight).toBe(2);
    expect(held.batches[2]).toEqual([request('c', 2), request('d', 3), request('e', 4)]);

    held.answerOldest();
    held.answerOldest();
    await expect(Promise.all(answers)).resolves.toEqual(['a:0', 'b:1', 'c:2', 'd:3', 'e:4']);
  });

  it('holds a stream once per batch, keeping the order of the rest', async () => {
    const held = new HeldFlush();
    const batcher = new AppendBatcher(held.flush, { lanes: 1, maxBatch: 10 });
    const answers = [
      request('busy', 0),
      request('x', 1),
      request('y', 2),
      request('x', 3),
      request('z', 4),
      request('x', 5),
    ].map((r) => batcher.submit(r));
    held.answerOldest();
    await settle();
    expect(held.batches[1]).toEqual([request('x', 1), request('y', 2), request('z', 4)]);
    held.answerOldest();
    await settle();
    expect(held.batches[2]).toEqual([request('x', 3)]);
    held.answerOldest();
    await settle();
    expect(held.batches[3]).toEqual([request('x', 5)]);
    held.answerOldest();
    await expect(Promise.all(answers)).resolves.toEqual([
      'busy:0',
      'x:1',
      'y:2',
      'x:3',
      'z:4',
      'x:5',
    ]);
  });

  it('takes at most maxBatch appends into one batch', async () => {
    const held = new HeldFlush();
    const batcher = new AppendBatcher(held.flush, { lanes: 1, maxBatch: 3 });
    const answers = Array.from({ length: 8 }, (_, n) => batcher.submit(request(`s${n}`, n)));
    for (let batch = 0; batch < 4; batch++) {
      held.answerOldest();
      await settle();
    }
    expect(held.batches.map((batch) => batch.length)).toEqual([1, 3, 3, 1]);
    await expect(Promise.all(answers)).resolves.toHaveLength(8);
  });

  it('rejects every append of a failed batch with its error, and goes on with the next', async () => {
    const held = new HeldFlush();
    const batcher = new AppendBatcher(held.flush, { lanes: 1, maxBatch: 10 });
    const first = batcher.submit(request('a', 0));
    const queued = [batcher.submit(request('b', 1)), batcher.submit(request('c', 2))];
    held.answerOldest();
    await settle();
    const lost = new Error('connection lost');
    held.failOldest(lost);
    const outcomes = await Promise.allSettled(queued);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: lost },
      { status: 'rejected', reason: lost },
    ]);
    await expect(first).resolves.toBe('a:0');

    const after = batcher.submit(request('d', 3));
    expect(held.inFlight).toBe(1);
    held.answerOldest();
    await expect(after).resolves.toBe('d:3');
  });

  it('rejects the batch when flush throws before returning a promise', async () => {
    const batcher = new AppendBatcher<Request, string>(
      () => {
        throw new Error('cannot encode');
      },
      { lanes: 1, maxBatch: 10 },
    );
    await expect(batcher.submit(request('a', 0))).rejects.toThrow('cannot encode');
    // The lane was given back: the next append is sent too.
    await expect(batcher.submit(request('b', 1))).rejects.toThrow('cannot encode');
  });

  it('with unbounded lanes sends every append alone (no group commit)', async () => {
    const held = new HeldFlush();
    const batcher = new AppendBatcher(held.flush, {
      lanes: Number.POSITIVE_INFINITY,
      maxBatch: 10,
    });
    const answers = ['a', 'b', 'c'].map((stream, n) => batcher.submit(request(stream, n)));
    expect(held.batches).toEqual([[request('a', 0)], [request('b', 1)], [request('c', 2)]]);
    held.answerOldest();
    held.answerOldest();
    held.answerOldest();
    await expect(Promise.all(answers)).resolves.toEqual(['a:0', 'b:1', 'c:2']);
  });

  it('refuses a batcher with no lane', () => {
    expect(() => new AppendBatcher(async () => [], { lanes: 0, maxBatch: 1 })).toThrow(RangeError);
  });
});
