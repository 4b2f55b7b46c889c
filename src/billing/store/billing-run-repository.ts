import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import type { CurrentRevision } from '../../event-store/expected-revision';
import type { Position } from '../../event-store/position';
import type { BillingRunState } from '../domain';
import { billingRunDecider } from './billing-run-decider';
import { StreamRepository } from './stream-repository';

export interface LoadedBillingRun {
  readonly runId: string;
  readonly state: BillingRunState;
  readonly revision: CurrentRevision;
  /** Where BillingStarted is in the global log: the engine waits for projections to pass it. */
  readonly startedPosition: Position | null;
}

/** The stream repository bound to billing-run streams (writes go through the executor). */
@Injectable()
export class BillingRunRepository {
  private readonly streams: StreamRepository;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.streams = new StreamRepository(store);
  }

  async load(runId: string): Promise<LoadedBillingRun> {
    const loaded = await this.streams.load(billingRunDecider, runId);
    return {
      runId,
      state: loaded.state,
      revision: loaded.revision,
      startedPosition: loaded.firstPosition,
    };
  }
}
