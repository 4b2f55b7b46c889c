import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AppendResult } from '../event-store/event-store.port';
import { BILLING_CLOCK, type BillingClock } from './billing-clock';
import { BILLING_TUNING, type BillingTuning } from './billing-tuning';
import {
  decideInvoice,
  type DecideContext,
  type InvoiceCommand,
  type InvoiceError,
  type InvoiceState,
} from './domain';
import type { EventMetadata } from './store/event-metadata';
import { applyEvents, InvoiceRepository, type LoadedInvoice } from './store/invoice-repository';
import { isWriteConflict } from './store/is-write-conflict';

export type ExecuteResult =
  | {
      readonly ok: true;
      readonly state: InvoiceState;
      readonly result: AppendResult;
    }
  | { readonly ok: false; readonly error: InvoiceError; readonly loaded: LoadedInvoice };

export type WriteCause = Pick<EventMetadata, 'runId' | 'causation' | 'causationId'>;

/** Another writer kept changing the stream between our read and our append. */
export class ConcurrentWritesError extends Error {
  override readonly name = 'ConcurrentWritesError';

  constructor(invoiceId: string, tries: number) {
    super(`invoice ${invoiceId} changed under ${tries} attempts to write it; try again`);
  }
}

/**
 * Read, decide, append at the revision read; when another writer got there first, read
 * and decide again (bounded). The domain sees every fact the other writer added, so a
 * retry can never act on a stale view: this is how the claim stays exclusive.
 */
@Injectable()
export class InvoiceCommandExecutor {
  constructor(
    private readonly invoices: InvoiceRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
    @Inject(BILLING_TUNING) private readonly tuning: BillingTuning,
  ) {}

  context(): DecideContext {
    return { now: this.clock.now().toISOString(), instanceId: this.config.instanceId };
  }

  /** A new write request's metadata: call once per request, reuse it for retries. */
  metadata(cause: WriteCause): EventMetadata {
    return { instanceId: this.config.instanceId, writeId: randomUUID(), ...cause };
  }

  async execute(
    command: InvoiceCommand,
    cause: WriteCause,
    loaded?: LoadedInvoice,
  ): Promise<ExecuteResult> {
    let current = loaded ?? (await this.invoices.load(command.invoiceId));
    for (let attempt = 1; ; attempt++) {
      const decision = decideInvoice(command, current.state, this.context());
      if (!decision.ok) return { ok: false, error: decision.error, loaded: current };
      const request = this.invoices.appendRequest(
        command.invoiceId,
        decision.events,
        current.revision,
        this.metadata(cause),
      );
      try {
        const result = await this.invoices.append(request);
        return { ok: true, state: applyEvents(current.state, decision.events), result };
      } catch (error) {
        if (!isWriteConflict(error)) throw error;
        if (attempt > this.tuning.conflictRetries) {
          throw new ConcurrentWritesError(command.invoiceId, attempt);
        }
      }
      current = await this.invoices.load(command.invoiceId);
    }
  }
}
