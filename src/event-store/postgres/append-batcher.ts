/** One append waiting for its batch. */
interface Waiting<Request, Result> {
  readonly request: Request;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

export interface AppendBatcherOptions {
  /** Batches in flight at once (each is one statement, on a connection of its own). */
  readonly lanes: number;
  /** The most appends one batch takes. */
  readonly maxBatch: number;
}

/**
 * Group commit for concurrent appends to different streams. An append that finds a lane
 * free is sent at once, alone, so a lone writer waits for nothing; appends that arrive
 * while every lane is busy queue up, and each lane that comes free takes the queue as
 * one batch: one statement and one commit for many appends, instead of a round trip and
 * a commit each. A batch holds each stream at most once (an append to a stream already
 * in it waits for the next), so the batch's statement can decide each append alone.
 *
 * `flush` answers every request of the batch in order; if it throws, every request of
 * the batch is rejected with that error (nothing of the batch was stored: it is one
 * statement).
 */
export class AppendBatcher<Request extends { readonly stream: string }, Result> {
  private readonly queue: Waiting<Request, Result>[] = [];
  private inFlight = 0;

  constructor(
    private readonly flush: (batch: readonly Request[]) => Promise<readonly Result[]>,
    private readonly options: AppendBatcherOptions,
  ) {
    if (options.lanes < 1 || options.maxBatch < 1) {
      throw new RangeError('AppendBatcher needs at least one lane and a batch of one');
    }
  }

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.lanes && this.queue.length > 0) {
      this.send(this.take());
    }
  }

  /** The oldest appends, one per stream, up to maxBatch; the others keep their place. */
  private take(): Waiting<Request, Result>[] {
    const batch: Waiting<Request, Result>[] = [];
    const streams = new Set<string>();
    let kept = 0;
    for (const waiting of this.queue) {
      if (batch.length < this.options.maxBatch && !streams.has(waiting.request.stream)) {
        streams.add(waiting.request.stream);
        batch.push(waiting);
      } else {
        this.queue[kept++] = waiting;
      }
    }
    this.queue.length = kept;
    return batch;
  }

  private send(batch: Waiting<Request, Result>[]): void {
    this.inFlight += 1;
    let flushed: Promise<readonly Result[]>;
    try {
      flushed = this.flush(batch.map((waiting) => waiting.request));
    } catch (error) {
      flushed = Promise.reject(error);
    }
    flushed
      .then(
        (results) => batch.forEach((waiting, index) => waiting.resolve(results[index])),
        (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
      )
      .finally(() => {
        this.inFlight -= 1;
        this.drain();
      });
  }
}
