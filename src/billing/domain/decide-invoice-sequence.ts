import type { DecideContext } from './decide-context';
import { decideInvoice } from './decide-invoice';
import type { DomainError } from './decision';
import { evolveInvoice } from './evolve-invoice';
import type { InvoiceCommand } from './invoice-commands';
import type { InvoiceErrorCode } from './invoice-error-code';
import type { InvoiceEvent } from './invoice-events';
import type { InvoiceState } from './invoice-state';

export type InvoiceSequenceResult =
  | { readonly ok: true; readonly events: InvoiceEvent[]; readonly state: InvoiceState }
  | { readonly ok: false; readonly error: DomainError<InvoiceErrorCode>; readonly at: number };

/**
 * Decides commands one after another, each on the state the previous ones left: the
 * history a sequence of commands writes (seeding, fixtures). Stops at the first refusal,
 * saying which command (`at`, 0-based) it was.
 */
export function decideInvoiceSequence(
  commands: readonly InvoiceCommand[],
  state: InvoiceState,
  context: DecideContext,
): InvoiceSequenceResult {
  const events: InvoiceEvent[] = [];
  let current = state;
  for (const [at, command] of commands.entries()) {
    const decision = decideInvoice(command, current, context);
    if (!decision.ok) return { ok: false, error: decision.error, at };
    for (const event of decision.events) {
      events.push(event);
      current = evolveInvoice(current, event);
    }
  }
  return { ok: true, events, state: current };
}
