import { openEsdbStore } from '../support/esdb-double/open-esdb-store';
import { describeEventStoreContract } from './event-store.contract';

// EventStoreDB cannot run here: the adapter talks gRPC to a protocol-level double of
// the server (test/support/esdb-double, docs/eventstoredb.md).
describeEventStoreContract('EventStoreDB (gRPC double)', () => openEsdbStore(), 'in order');
