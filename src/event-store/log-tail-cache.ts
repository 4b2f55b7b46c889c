import type { ReadAllOptions } from './event-store.port';
import { comparePositions, type Position } from './position';
import type { RecordedEvent } from './recorded-event';

type ReadAll = (options: ReadAllOptions) => Promise<RecordedEvent[]>;

/**
 * One read of the log's tail shared by every subscription of a process that follows it
 * (the four projectors each read every event): keeps the last `capacity` events read, a
 * contiguous stretch of the log, and serves an unfiltered read after a position inside
 * that stretch from it, reading the store only for what lies beyond its end.
 *
 * Sound because a read of the log returns a contiguous stretch that can never change:
 * the events right after the position, in log order, up to a horizon below which nothing
 * can commit any more (docs/event-store.md). A read after the stretch's last event
 * therefore continues it exactly.
 *
 * Fresh: a read that finds too few events is answered only after a store read that
 * started after it was asked (its own, or another's it waited for), so a wake-up is
 * never answered with what was known before it. Filtered reads, and reads before the
 * stretch (a projector far behind), go to the store as they are; a read past its end
 * starts the stretch again there.
 */
export class LogTailCache {
  private events: RecordedEvent[] = [];
  /** The stretch is every event after this position up to the last one held. */
  private after: Position | null = null;
  private asked = 0;
  /** The newest store read: when it started (in `asked` order) and its result. */
  private extending: { readonly startedAt: number; readonly done: Promise<void> } | null = null;
  private lastExtensionStartedAt = 0;
  /** Rows read from the store, and events served from the stretch (for tests). */
  readonly counts = { readFromStore: 0, servedFromCache: 0 };

  constructor(
    private readonly readAll: ReadAll,
    private readonly capacity = 10_000,
  ) {}

  async read(options: ReadAllOptions): Promise<RecordedEvent[]> {
    if (options.filter) return this.readStore(options);
    const asked = ++this.asked;
    for (;;) {
      const first = this.firstAfter(options.after);
      if (first === null) {
        if (!this.isPastEnd(options.after) || this.extending) return this.readStore(options);
        // Nothing held yet, or the tail moved past it: hold from here on.
        this.events = [];
        this.after = options.after;
        continue;
      }
      if (this.events.length - first >= options.limit) return this.serve(first, options.limit);
      const extension = this.extending;
      if (extension) {
        await extension.done.catch(() => undefined); // its own reader reports the error
        if (extension.startedAt < asked) continue;
        const now = this.firstAfter(options.after);
        return now === null ? this.readStore(options) : this.serve(now, options.limit);
      }
      // A store read that started after this one was asked has ended: nothing more is known.
      if (this.lastExtensionStartedAt > asked) return this.serve(first, options.limit);
      await this.extend(options.limit - (this.events.length - first));
    }
  }

  /** The index of the first held event after `position`; null if the stretch does not cover it. */
  private firstAfter(position: Position): number | null {
    if (this.after === null || comparePositions(position, this.after) < 0) return null;
    if (this.isPastEnd(position)) return null;
    // Positions are strictly increasing: a binary search.
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (comparePositions(this.events[middle].position, position) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private serve(first: number, limit: number): RecordedEvent[] {
    const served = this.events.slice(first, first + limit);
    this.counts.servedFromCache += served.length;
    return served;
  }

  /** Reads past the end of the stretch and appends what it finds. */
  private extend(wanted: number): Promise<void> {
    const startedAt = ++this.asked;
    this.lastExtensionStartedAt = startedAt;
    const from = this.lastPosition() as Position;
    const done = this.readStore({ after: from, limit: Math.max(wanted, 500) })
      .then((read) => this.append(from, read))
      .finally(() => {
        if (this.extending?.startedAt === startedAt) this.extending = null;
      });
    this.extending = { startedAt, done };
    return done;
  }

  private isPastEnd(position: Position): boolean {
    const last = this.lastPosition();
    return last === null || comparePositions(position, last) > 0;
  }

  private lastPosition(): Position | null {
    return this.events.length === 0 ? this.after : this.events[this.events.length - 1].position;
  }

  private append(from: Position, read: readonly RecordedEvent[]): void {
    const last = this.lastPosition();
    // The stretch was started again meanwhile: this read no longer continues it.
    if (last === null || comparePositions(from, last) !== 0) return;
    this.events.push(...read);
    const excess = this.events.length - this.capacity;
    if (excess > 0) {
      this.after = this.events[excess - 1].position;
      this.events = this.events.slice(excess);
    }
  }

  private async readStore(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const read = await this.readAll(options);
    this.counts.readFromStore += read.length;
    return read;
  }
}
