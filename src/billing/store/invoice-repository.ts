import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import type { AppendRequest, AppendResult } from '../../event-store/event-store.port';
import type { CurrentRevision } from '../../event-store/expected-revision';
import type { InvoiceEvent, InvoiceState } from '../domain';
import type { EventMetadata } from './event-metadata';
import { invoiceDecider } from './invoice-decider';
import { evolveAll, StreamRepository, type LoadedStream } from './stream-repository';

/** An invoice as its stream says now, and where that stream stands. */
export type LoadedInvoice = LoadedStream<InvoiceState>;

/**
 * The stream repository bound to invoice streams: the engine's batched paths (a page of
 * claims, a batch of outcomes in one appendMany) build their requests here.
 */
@Injectable()
export class InvoiceRepository {
  private readonly streams: StreamRepository;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.streams = new StreamRepository(store);
  }

  load(invoiceId: string): Promise<LoadedInvoice> {
    return this.streams.load(invoiceDecider, invoiceId);
  }

  loadMany(invoiceIds: readonly string[]): Promise<(LoadedInvoice | Error)[]> {
    return this.streams.loadMany(invoiceDecider, invoiceIds);
  }

  appendRequest(
    invoiceId: string,
    events: readonly InvoiceEvent[],
    revision: CurrentRevision,
    metadata: EventMetadata,
  ): AppendRequest {
    return this.streams.appendRequest(invoiceDecider, invoiceId, events, revision, metadata);
  }

  append(request: AppendRequest): Promise<AppendResult> {
    return this.streams.append(request);
  }
}

/** The state after appending `events` to `state`: what the stream now folds to. */
export function applyEvents(state: InvoiceState, events: readonly InvoiceEvent[]): InvoiceState {
  return evolveAll(invoiceDecider, state, events);
}
