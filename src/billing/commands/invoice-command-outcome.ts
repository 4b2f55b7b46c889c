import type { InvoiceCommand } from '../domain';
import type { InvoiceCommandExecutor, WriteCause } from '../invoice-command-executor';
import type { InvoiceCommandResult } from './invoice-command-result';
import { InvoiceCommandError } from './invoice-command.error';

/** Runs an invoice command for a handler: the result, or the domain's refusal thrown. */
export async function runInvoiceCommand(
  executor: InvoiceCommandExecutor,
  command: InvoiceCommand,
  cause: WriteCause,
): Promise<InvoiceCommandResult> {
  const outcome = await executor.execute(command, cause);
  if (!outcome.ok) throw new InvoiceCommandError(outcome.error.code, outcome.error.message);
  if (!outcome.state.exists) throw new Error(`invoice ${command.invoiceId} vanished after a write`);
  return {
    invoiceId: command.invoiceId,
    status: outcome.state.status,
    revision: outcome.result.nextExpectedRevision,
    position: outcome.result.position,
  };
}
