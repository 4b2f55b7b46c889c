import { Inject, Injectable } from '@nestjs/common';
import type { AppendRequest, AppendResult, EventStore } from '../../event-store/event-store.port';
import { EVENT_STORE } from '../../event-store/event-store.port';
import { NO_STREAM, type CurrentRevision } from '../../event-store/expected-revision';
import type { Position } from '../../event-store/position';
import type { RecordedEvent } from '../../event-store/recorded-event';
import {
  evolveInvoice,
  initialInvoiceState,
  invoiceStream,
  type InvoiceEvent,
  type InvoiceState,
} from '../domain';
import type { EventMetadata } from './event-metadata';
import { fromRecordedInvoiceEvent, toInvoiceEventData } from './invoice-event-data';

/** An invoice as its stream says now, and where that stream stands. */
export interface LoadedInvoice {
  readonly invoiceId: string;
  readonly state: InvoiceState;
  /** The revision of the last event read: the expected revision of the next append. */
  readonly revision: CurrentRevision;
  /** The global position of the last event read; null for a missing stream. */
  readonly position: Position | null;
}

/** Reads invoice streams into domain state and turns decisions into appends. */
@Injectable()
export class InvoiceRepository {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(invoiceId: string): Promise<LoadedInvoice> {
    return loaded(invoiceId, await this.store.readStream(invoiceStream(invoiceId)));
  }

  /**
   * Many invoices in one read of the store. Each entry is the invoice's state, or the
   * error its stream gave (a corrupt stream must not hide the others).
   */
  async loadMany(invoiceIds: readonly string[]): Promise<(LoadedInvoice | Error)[]> {
    const read = await this.store.readStreams(invoiceIds.map(invoiceStream));
    return invoiceIds.map((invoiceId) => {
      try {
        return loaded(invoiceId, read.get(invoiceStream(invoiceId)) ?? []);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  /**
   * The append of `events` right after `revision`: the expected revision is the lock,
   * the ids are named by the facts (a retry of this same request is idempotent).
   */
  appendRequest(
    invoiceId: string,
    events: readonly InvoiceEvent[],
    revision: CurrentRevision,
    metadata: EventMetadata,
  ): AppendRequest {
    const first = revision === NO_STREAM ? 0n : revision + 1n;
    return {
      stream: invoiceStream(invoiceId),
      events: events.map((event, i) => toInvoiceEventData(event, first + BigInt(i), metadata)),
      expectedRevision: revision,
    };
  }

  append(request: AppendRequest): Promise<AppendResult> {
    return this.store.append(request.stream, request.events, request.expectedRevision);
  }
}

/** The state after appending `events` to `state`: what the stream now folds to. */
export function applyEvents(state: InvoiceState, events: readonly InvoiceEvent[]): InvoiceState {
  return events.reduce(evolveInvoice, state);
}

function loaded(invoiceId: string, recorded: readonly RecordedEvent[]): LoadedInvoice {
  let state = initialInvoiceState;
  for (const event of recorded) state = evolveInvoice(state, fromRecordedInvoiceEvent(event));
  const last = recorded.at(-1);
  return {
    invoiceId,
    state,
    revision: last ? last.revision : NO_STREAM,
    position: last ? last.position : null,
  };
}
