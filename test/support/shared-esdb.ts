import { EsdbEventStore } from '../../src/event-store/esdb/esdb-event-store';
import type { EventStore } from '../../src/event-store/event-store.port';
import {
  startEsdbDouble,
  type EsdbDouble,
  type EsdbDoubleOptions,
} from './esdb-double/esdb-double';

/**
 * One EventStoreDB node (the gRPC double) and several adapters on it, each with its own
 * client and connection: as far as the node is concerned, separate service instances.
 */
export class SharedEsdb {
  private readonly opened: EsdbEventStore[] = [];

  private constructor(
    readonly double: EsdbDouble,
    private readonly params: string,
  ) {}

  /** `params`: extra connection-string parameters, e.g. `defaultDeadline=500`. */
  static async create(options: { double?: EsdbDoubleOptions; params?: string } = {}) {
    return new SharedEsdb(await startEsdbDouble(options.double), options.params ?? '');
  }

  get connectionString(): string {
    const base = this.double.connectionString;
    return this.params ? `${base}&${this.params}` : base;
  }

  /**
   * A new instance's event store, on its own client. `withParams: false` leaves out the
   * extra parameters: a test's set-up (seeding) need not run under its fault's deadline.
   */
  openStore({ withParams = true } = {}): EventStore {
    const url = withParams ? this.connectionString : this.double.connectionString;
    const store = EsdbEventStore.fromConnectionString(url);
    this.opened.push(store);
    return store;
  }

  async close(): Promise<void> {
    for (const store of this.opened) await store.close();
    await this.double.stop();
  }
}
