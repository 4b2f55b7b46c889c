import type { InvoiceCommand } from '../domain';
import type { CommandExecutor, WriteCause } from '../command-executor';
import { invoiceDecider } from '../store/invoice-decider';
import type { InvoiceCommandResult } from './invoice-command-result';
import { InvoiceCommandError } from './invoice-command.error';

/** Runs an invoice command for a handler: the result, or the domain's refusal thrown. */
export async function runInvoiceCommand(
  executor: CommandExecutor,
  command: InvoiceCommand,
  cause: WriteCause,
): Promise<InvoiceCommandResult> {
  const outcome = await executor.execute(invoiceDecider, command, cause);
  if (!outcome.ok) throw new InvoiceCommandError(outcome.error.code, outcome.error.message);
  const { state, result, loaded } = outcome;
  const revision = result?.nextExpectedRevision ?? loaded.revision;
  const position = result?.position ?? loaded.position;
  if (!state.exists || revision === 'no_stream' || position === null) {
    throw new Error(`invoice ${command.invoiceId} vanished after a write`);
  }
  return { invoiceId: command.invoiceId, status: state.status, revision, position };
}
