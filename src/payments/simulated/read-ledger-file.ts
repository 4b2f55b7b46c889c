import { readJsonLines } from '../../shared/read-json-lines';
import type { LedgerFileEntry } from './charge-ledger-file';
import { isCharged, SIMULATED_OUTCOMES } from './simulated-outcome';

export interface LedgerFileContents {
  /** Every line, in the order the processes appended them. */
  readonly entries: readonly LedgerFileEntry[];
  /** Successful charges (`paid`, `ambiguous_charged`) per invoice id. */
  readonly chargesByInvoice: ReadonlyMap<string, number>;
  /** Invoice ids with more than one successful charge: invariant 1 says none. */
  readonly doubleCharges: readonly string[];
}

/**
 * Reads a ledger file written by one or more simulators (SIMULATED_LEDGER_FILE). A
 * missing file or a malformed line throws: a count of double charges read from the
 * wrong file, or from half of it, would prove nothing.
 */
export function readLedgerFile(path: string): LedgerFileContents {
  const entries = readJsonLines<LedgerFileEntry>(path, 'a ledger entry', isLedgerEntry);
  const chargesByInvoice = new Map<string, number>();
  for (const entry of entries) {
    if (!isCharged(entry.outcome)) continue;
    chargesByInvoice.set(entry.invoiceId, (chargesByInvoice.get(entry.invoiceId) ?? 0) + 1);
  }
  const doubleCharges = [...chargesByInvoice]
    .filter(([, charges]) => charges > 1)
    .map(([invoiceId]) => invoiceId);
  return { entries, chargesByInvoice, doubleCharges };
}

function isLedgerEntry(entry: Partial<LedgerFileEntry>): boolean {
  const outcomes: readonly string[] = SIMULATED_OUTCOMES;
  return (
    typeof entry.invoiceId === 'string' &&
    typeof entry.idempotencyKey === 'string' &&
    typeof entry.outcome === 'string' &&
    outcomes.includes(entry.outcome)
  );
}
