import { EventStoreDBClient } from '@eventstore/db-client';
import {
  EsdbEventStore,
  type EsdbEventStoreOptions,
} from '../../../src/event-store/esdb/esdb-event-store';
import { startEsdbDouble, type EsdbDouble, type EsdbDoubleOptions } from './esdb-double';

export interface OpenEsdbStore {
  readonly store: EsdbEventStore;
  readonly double: EsdbDouble;
  /** A raw client on the same double, for what the port cannot do (system events). */
  readonly client: EventStoreDBClient;
  close(): Promise<void>;
}

/** A fresh double and the adapter on it; close() stops both. */
export async function openEsdbStore(
  options: {
    readonly double?: EsdbDoubleOptions;
    readonly store?: EsdbEventStoreOptions;
    /** Extra connection-string parameters, e.g. `defaultDeadline=300`. */
    readonly params?: string;
  } = {},
): Promise<OpenEsdbStore> {
  const double = await startEsdbDouble(options.double);
  const connectionString = options.params
    ? `${double.connectionString}&${options.params}`
    : double.connectionString;
  const store = EsdbEventStore.fromConnectionString(connectionString, options.store);
  const client = EventStoreDBClient.connectionString(connectionString);
  return {
    store,
    double,
    client,
    close: async () => {
      await store.close();
      await client.dispose();
      await double.stop();
    },
  };
}
