import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { InvoiceCommandResult } from '../../../src/billing/commands/invoice-command-result';
import { InvoiceCommandError } from '../../../src/billing/commands/invoice-command.error';
import { RequeueInvoiceCommand } from '../../../src/billing/commands/requeue-invoice.command';
import { ResolveInvoiceCommand } from '../../../src/billing/commands/resolve-invoice.command';
import {
  StartBillingRunCommand,
  type StartBillingRunResult,
} from '../../../src/billing/commands/start-billing-run.command';
import { invoiceStream, type InvoiceStatus } from '../../../src/billing/domain';
import { WrongExpectedVersionError } from '../../../src/event-store/errors/wrong-expected-version.error';
import { FakeWorld } from './fake-world';

/**
 * Stand-ins for the billing engine's handlers, with the real ones' contract: a domain
 * refusal is an InvoiceCommandError, and the write is guarded by the revision read (a
 * writer that lost the race gets WrongExpectedVersionError).
 */
abstract class FakeInvoiceHandler {
  constructor(protected readonly world: FakeWorld) {}

  protected async transition(
    invoiceId: string,
    from: InvoiceStatus,
    refusal: 'NOT_FAILED' | 'NOT_UNKNOWN',
    to: InvoiceStatus,
  ): Promise<InvoiceCommandResult> {
    this.world.check();
    const seen = this.world.invoices.get(invoiceId);
    if (!seen) {
      throw new InvoiceCommandError('INVOICE_NOT_FOUND', `Invoice ${invoiceId} does not exist`);
    }
    if (seen.status !== from) {
      throw new InvoiceCommandError(
        refusal,
        `Invoice ${invoiceId} is ${seen.status}; only a ${from} invoice allows this`,
      );
    }
    await this.world.beforeWrite();
    const current = this.world.invoices.get(invoiceId)!;
    if (current.revision !== seen.revision) {
      throw new WrongExpectedVersionError(
        invoiceStream(invoiceId),
        seen.revision,
        current.revision,
      );
    }
    const revision = current.revision + 1n;
    this.world.invoices.set(invoiceId, { ...current, status: to, revision });
    return { invoiceId, status: to, revision, position: this.world.position() };
  }
}

@CommandHandler(RequeueInvoiceCommand)
export class FakeRequeueHandler
  extends FakeInvoiceHandler
  implements ICommandHandler<RequeueInvoiceCommand>
{
  constructor(world: FakeWorld) {
    super(world);
  }

  execute(command: RequeueInvoiceCommand): Promise<InvoiceCommandResult> {
    this.world.commands.push(command);
    return this.transition(command.invoiceId, 'FAILED', 'NOT_FAILED', 'PENDING');
  }
}

@CommandHandler(ResolveInvoiceCommand)
export class FakeResolveHandler
  extends FakeInvoiceHandler
  implements ICommandHandler<ResolveInvoiceCommand>
{
  constructor(world: FakeWorld) {
    super(world);
  }

  execute(command: ResolveInvoiceCommand): Promise<InvoiceCommandResult> {
    this.world.commands.push(command);
    if (command.note.trim() === '') {
      // As decide does: the domain, not the DTO, owns this rule.
      return Promise.reject(new InvoiceCommandError('INVALID_COMMAND', 'note must not be blank'));
    }
    return this.transition(command.invoiceId, 'UNKNOWN', 'NOT_UNKNOWN', command.outcome);
  }
}

@CommandHandler(StartBillingRunCommand)
export class FakeStartBillingRunHandler implements ICommandHandler<StartBillingRunCommand> {
  constructor(private readonly world: FakeWorld) {}

  async execute(command: StartBillingRunCommand): Promise<StartBillingRunResult> {
    this.world.commands.push(command);
    this.world.check();
    const runId = `manual-${this.world.runs.length + 1}`;
    this.world.addRun({
      runId,
      period: null,
      trigger: 'manual',
      status: 'RUNNING',
      startedAt: new Date(Date.UTC(2026, 10, 1 + this.world.runs.length)).toISOString(),
      completedAt: null,
      counts: { processing: 0, paid: 0, failed: 0, unknown: 0 },
      collected: [],
    });
    return { runId, started: true, position: this.world.position() };
  }
}
