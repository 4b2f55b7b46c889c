import { openPostgresStore } from '../support/event-store-backends';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('PostgreSQL', () => openPostgresStore('contract'), 'atomic');
