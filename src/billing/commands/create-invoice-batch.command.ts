import { Command } from '@nestjs/cqrs';
import type { Invoice, IssueInvoice } from '../domain';
import type { CreateResult } from './create-result';
import type { MalformedInvoice } from './invoice-batch-rejected.error';
import type { RegisteredCustomers } from './registered-customers';

/** Up to 1,000 new invoices, all or none (ids unique within the batch). */
export class CreateInvoiceBatchCommand extends Command<CreateResult<Invoice>[]> {
  constructor(
    readonly invoices: readonly Omit<IssueInvoice, 'customer'>[],
    /** Who asked (invariant 9): the API key's name; null when no request did (CLI import). */
    readonly apiKeyName: string | null = null,
    /** Customers known registered from earlier batches of the same import: not read again. */
    readonly registeredCustomers?: RegisteredCustomers,
    /** The request's other entries, which its caller could not read (REST: 400 fields). */
    readonly malformed: Malformed = NONE_MALFORMED,
  ) {
    super();
  }
}

/**
 * Entries of the request left out of `invoices` as malformed, and where each invoice sits
 * in the request. With any, nothing is written, but the invoices are still decided so
 * that one refusal lists every problem (docs/api.md, batches).
 */
export interface Malformed {
  readonly entries: readonly MalformedInvoice[];
  /** The index in the request of each of `invoices`; empty: its place in `invoices`. */
  readonly indexes: readonly number[];
}

const NONE_MALFORMED: Malformed = { entries: [], indexes: [] };
