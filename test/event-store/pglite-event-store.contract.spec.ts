import { openPgliteStore } from '../support/event-store-backends';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('embedded PostgreSQL (PGlite)', () => openPgliteStore(), 'atomic');
