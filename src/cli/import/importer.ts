import type { CommandBus } from '@nestjs/cqrs';
import { CreateInvoiceBatchCommand } from '../../billing/commands/create-invoice-batch.command';
import { CustomerCommandError } from '../../billing/commands/customer-command.error';
import { InvoiceBatchRejectedError } from '../../billing/commands/invoice-batch-rejected.error';
import { RegisterCustomerCommand } from '../../billing/commands/register-customer.command';
import { RegisteredCustomers } from '../../billing/commands/registered-customers';
import { describeFieldErrors } from '../../api/validation/field-error';
import { parseNewCustomer } from '../../api/validation/parse-new-customer';
import { parseNewInvoice, type NewInvoice } from '../../api/validation/parse-new-invoice';
import type { RegisterCustomer } from '../../billing/domain';
import type { ImportKind } from './import-kind';
import { emptySummary, type ImportSummary } from './import-summary';
import type { ImportRecord } from './read-import-file';
import type { RejectsFile } from './rejects-file';

export interface ImporterOptions {
  /** Invoices per CreateInvoiceBatchCommand (at most 1,000, the batch route's limit). */
  readonly batchSize: number;
  /** Batches (invoices) or registrations (customers) in flight at once. */
  readonly inFlight: number;
}

interface Pending<T> {
  readonly line: number;
  readonly value: T;
}

/**
 * Writes an import file's records through the same validation (the REST routes' parsers)
 * and the same commands as the REST routes: invoices in CreateInvoiceBatchCommand
 * batches, customers one RegisterCustomerCommand each, a bounded number in flight. A bad
 * line goes to the rejects file and the rest carries on; a line already imported with the
 * same facts is counted as already there. Records are consumed as they are written, so
 * memory stays bounded whatever the file's size.
 */
export class Importer {
  readonly summary: ImportSummary = emptySummary();
  private readonly inFlight = new Set<Promise<void>>();
  /** Ids being written or waiting in the chunk: a later line with one waits for them. */
  private readonly pendingIds = new Set<string>();
  private chunk: Pending<NewInvoice>[] = [];
  /** Registered customers never change: each batch reads only those not seen yet. */
  private readonly customers = new RegisteredCustomers();

  constructor(
    private readonly kind: ImportKind,
    private readonly commands: CommandBus,
    private readonly rejects: RejectsFile,
    private readonly options: ImporterOptions,
  ) {}

  async import(records: AsyncIterable<ImportRecord>, onRecord?: () => void): Promise<void> {
    for await (const record of records) {
      this.summary.records += 1;
      onRecord?.();
      if ('error' in record) {
        this.reject(record.line, null, record.error);
        continue;
      }
      if (this.kind === 'invoices') await this.addInvoice(record.line, record.body);
      else await this.addCustomer(record.line, record.body);
    }
    if (this.chunk.length > 0) await this.flushChunk();
    await this.drain();
  }

  /** Waits for every write in flight. */
  private async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
    this.pendingIds.clear();
  }

  private async addInvoice(line: number, body: unknown): Promise<void> {
    const parsed = parseNewInvoice(body);
    if (!parsed.ok) return this.reject(line, idOf({ body }), describeFieldErrors(parsed.errors));
    // An id seen again: the earlier line is written first, so the file's order decides.
    if (this.pendingIds.has(parsed.value.invoiceId)) {
      if (this.chunk.length > 0) await this.flushChunk();
      await this.drain();
    }
    this.chunk.push({ line, value: parsed.value });
    this.pendingIds.add(parsed.value.invoiceId);
    if (this.chunk.length >= this.options.batchSize) {
      await this.flushChunk();
    }
  }

  private async addCustomer(line: number, body: unknown): Promise<void> {
    const parsed = parseNewCustomer(body);
    if (!parsed.ok) return this.reject(line, idOf({ body }), describeFieldErrors(parsed.errors));
    const { customerId } = parsed.value;
    if (this.pendingIds.has(customerId)) await this.drain();
    this.pendingIds.add(customerId);
    await this.start(this.register({ line, value: parsed.value }), [customerId]);
  }

  /** Starts a write once fewer than `inFlight` are running; its failure fails the import. */
  private async start(write: Promise<void>, ids: readonly string[] = []): Promise<void> {
    const tracked: Promise<void> = write.finally(() => {
      this.inFlight.delete(tracked);
      for (const id of ids) this.pendingIds.delete(id);
    });
    this.inFlight.add(tracked);
    while (this.inFlight.size >= this.options.inFlight) await Promise.race(this.inFlight);
  }

  private flushChunk(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = [];
    const ids = chunk.map((each) => each.value.invoiceId);
    return this.start(this.flushInvoices(chunk), ids);
  }

  /** One batch; refused invoices are rejected and the batch is sent again without them. */
  private async flushInvoices(chunk: Pending<NewInvoice>[]): Promise<void> {
    let pending = chunk;
    while (pending.length > 0) {
      try {
        const results = await this.commands.execute(
          new CreateInvoiceBatchCommand(
            pending.map((each) => each.value),
            null,
            this.customers,
          ),
        );
        for (const result of results) this.count(result.created);
        return;
      } catch (error) {
        if (error instanceof InvoiceBatchRejectedError) {
          const refused = new Set<number>();
          for (const { index, code, message } of error.rejections) {
            refused.add(index);
            this.reject(pending[index].line, pending[index].value.invoiceId, `${code}: ${message}`);
          }
          pending = pending.filter((_, index) => !refused.has(index));
        } else {
          throw error;
        }
      }
    }
  }

  private async register({ line, value }: Pending<RegisterCustomer>): Promise<void> {
    try {
      this.count((await this.commands.execute(new RegisterCustomerCommand(value))).created);
    } catch (error) {
      if (!(error instanceof CustomerCommandError)) throw error;
      this.reject(line, value.customerId, `${error.code}: ${error.message}`);
    }
  }

  private count(created: boolean): void {
    if (created) this.summary.created += 1;
    else this.summary.existing += 1;
  }

  private reject(line: number, id: string | null, reason: string): void {
    this.summary.rejected += 1;
    this.rejects.add(line, id, reason);
  }
}

/** The record's `id`, when it has a string one: named in the rejects file. */
function idOf(record: { body?: unknown }): string | null {
  const body = record.body;
  if (typeof body !== 'object' || body === null) return null;
  const id = (body as Record<string, unknown>).id;
  return typeof id === 'string' ? id : null;
}
