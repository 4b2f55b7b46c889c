import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EventData, JsonObject } from '../../event-store/event-data';
import type { AppendResult, EventStore } from '../../event-store/event-store.port';
import { EVENT_STORE } from '../../event-store/event-store.port';
import { NO_STREAM, type CurrentRevision } from '../../event-store/expected-revision';
import type { Position } from '../../event-store/position';
import {
  BillingRunStreamCorruptError,
  billingRunStream,
  evolveBillingRun,
  initialBillingRunState,
  type BillingRunEvent,
  type BillingRunState,
} from '../domain';
import { deterministicEventId } from './deterministic-event-id';
import { toJsonMetadata, type EventMetadata } from './event-metadata';

export interface LoadedBillingRun {
  readonly runId: string;
  readonly state: BillingRunState;
  readonly revision: CurrentRevision;
  /** Where BillingStarted is in the global log: the engine waits for projections to pass it. */
  readonly startedPosition: Position | null;
}

@Injectable()
export class BillingRunRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(runId: string): Promise<LoadedBillingRun> {
    const recorded = await this.store.readStream(billingRunStream(runId));
    let state = initialBillingRunState;
    for (const event of recorded) {
      if (event.type !== 'BillingStarted' && event.type !== 'BillingCompleted') {
        throw new BillingRunStreamCorruptError(event.type, `unexpected event in ${event.stream}`);
      }
      state = evolveBillingRun(state, { type: event.type, data: event.data } as BillingRunEvent);
    }
    return {
      runId,
      state,
      revision: recorded.at(-1)?.revision ?? NO_STREAM,
      startedPosition: recorded[0]?.position ?? null,
    };
  }

  append(
    runId: string,
    events: readonly BillingRunEvent[],
    revision: CurrentRevision,
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    return this.store.append(
      billingRunStream(runId),
      events.map((event) => toRunEventData(runId, event, metadata)),
      revision,
    );
  }
}

/** One start and one completion per run: ids named by the run make retries idempotent. */
function toRunEventData(runId: string, event: BillingRunEvent, metadata: EventMetadata): EventData {
  return {
    id: event.type === 'BillingStarted' ? randomUUID() : deterministicEventId(event.type, runId),
    type: event.type,
    data: event.data as unknown as JsonObject,
    metadata: toJsonMetadata(metadata),
  };
}
