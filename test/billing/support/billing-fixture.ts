import type { EventStore } from '../../../src/event-store/event-store.port';
import type { OpenStore } from '../../support/event-store-backends';
import { InMemoryReadModels } from '../../support/read-models/in-memory-read-models';
import {
  startBillingInstance,
  type BillingInstance,
  type BillingInstanceOptions,
} from './billing-instance';

/** What a test of one billing instance works with; each getter is that test's own. */
export interface BillingFixture {
  readonly store: EventStore;
  readonly readModels: InMemoryReadModels;
  /** Starts the test's instance on its store and read models; closed after the test. */
  start(options: Omit<BillingInstanceOptions, 'store' | 'readModels'>): Promise<BillingInstance>;
}

/**
 * Registers (in the calling describe) a fresh world for every test: an event store from
 * `openStore`, the in-memory read models following it, and the one instance the test
 * starts; after the test, all three are closed, the instance first.
 */
export function billingFixture(
  openStore: (label: string) => Promise<OpenStore>,
  label: string,
): BillingFixture {
  let backend: OpenStore | undefined;
  let readModels: InMemoryReadModels | undefined;
  let instance: BillingInstance | undefined;

  beforeEach(async () => {
    backend = await openStore(label);
    readModels = new InMemoryReadModels().follow(backend.store);
  });

  afterEach(async () => {
    await instance?.close();
    instance = undefined;
    await readModels?.close();
    readModels = undefined;
    await backend?.close();
    backend = undefined;
  });

  const opened = () => {
    if (!backend || !readModels) throw new Error('the billing fixture is open only inside a test');
    return { store: backend.store, readModels };
  };
  return {
    get store() {
      return opened().store;
    },
    get readModels() {
      return opened().readModels;
    },
    async start(options) {
      if (instance) throw new Error('the billing fixture starts one instance per test');
      instance = await startBillingInstance({ ...options, ...opened() });
      return instance;
    },
  };
}
