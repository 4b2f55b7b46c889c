import type { SqlDatabase } from '../../database/sql-database';

export const EVENTS_CHANNEL = 'antaeus_events';

/**
 * Tells subscribers that events were appended: at once to those in this process, and
 * through NOTIFY to other instances. NOTIFY is sent after the append has committed,
 * never inside it: a NOTIFY in the append transaction takes a global lock at commit
 * and would serialise every append. At most one NOTIFY is in flight, and the next one
 * waits `minIntervalMs` after it: wake-ups meanwhile are folded into that one. Under a
 * steady stream of appends that is a NOTIFY per interval instead of one per commit,
 * each its own transaction competing with the appends; other instances' readers hear of
 * new events at most that much later (this process's own readers are woken at once).
 */
export class AppendNotifier {
  private readonly local = new Set<() => void>();
  private sending = false;
  private pending = false;
  private unlisten: (() => Promise<void>) | undefined;
  private listening: Promise<void> | undefined;

  constructor(
    private readonly db: SqlDatabase,
    private readonly crossProcess: boolean,
    private readonly minIntervalMs = 10,
  ) {}

  appended(): void {
    for (const wake of this.local) wake();
    if (this.crossProcess) this.notifyOthers();
  }

  subscribe(wake: () => void): () => void {
    this.local.add(wake);
    if (this.crossProcess) this.listenOnce();
    return () => this.local.delete(wake);
  }

  async close(): Promise<void> {
    this.local.clear();
    await this.listening?.catch(() => undefined);
    await this.unlisten?.();
  }

  private listenOnce(): void {
    this.listening ??= this.db
      .listen(EVENTS_CHANNEL, () => this.local.forEach((wake) => wake()))
      .then((unlisten) => {
        this.unlisten = unlisten;
      })
      // Without LISTEN, subscribers still poll; retry on the next subscription.
      .catch(() => {
        this.listening = undefined;
      });
  }

  private notifyOthers(): void {
    if (this.sending) {
      this.pending = true;
      return;
    }
    this.sending = true;
    this.pending = false;
    this.db
      .query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, ''])
      .catch(() => undefined) // a lost wake-up only delays readers until their next poll
      .then(() => new Promise((resolve) => setTimeout(resolve, this.minIntervalMs).unref()))
      .finally(() => {
        this.sending = false;
        if (this.pending) this.notifyOthers();
      });
  }
}
