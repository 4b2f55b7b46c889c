import type { EventStore } from '../../../src/event-store/event-store.port';
import { SharedEsdb } from './shared-esdb';
import { SharedPostgres } from './shared-postgres';

/** One event store that several service instances share, each through its own client. */
export interface SharedStores {
  /** A new instance's event store: its own pool or client on the shared store. */
  openStore(): EventStore;
  close(): Promise<void>;
}

export interface SharedBackend {
  /** As it appears in test names: `npx jest -t EventStoreDB` selects that backend. */
  readonly name: string;
  create(label: string): Promise<SharedStores>;
}

/** The production event stores the engine's shared-store tests run on. */
export const SHARED_BACKENDS: readonly SharedBackend[] = [
  { name: 'PostgreSQL', create: (label) => SharedPostgres.create(label) },
  { name: 'EventStoreDB', create: () => SharedEsdb.create() },
];
