import type { InvoiceStatus } from '../../../src/billing/domain/invoice-status';
import { isCharged } from '../../../src/payments/simulated/simulated-outcome';
import type { InvoiceLog } from './invoice-log';
import { delivererOf, instancesByPid, type Deliverer, type LedgerEntry } from './ledger-entry';

/** What the provider under test promises, which decides what counts as a wrong delivery. */
export interface ProviderTraits {
  /** It deduplicates by idempotency key: retrying an ambiguous attempt is allowed. */
  readonly idempotent: boolean;
  /**
   * Its memory of keys spans every instance (the HTTP provider simulator). The in-process
   * simulator's memory dies with its process, so in idempotent mode it charges again a
   * key another process had charged; a real idempotent provider would answer that
   * delivery from memory, so such a charge is counted once (see `replaysCharged`).
   */
  readonly sharedMemory: boolean;
}

/** What a finished run left behind, from the provider, the event log and the read models. */
export interface Evidence {
  /** Every invoice the run was to charge. */
  readonly invoices: readonly string[];
  readonly statuses: Readonly<Record<InvoiceStatus, readonly string[]>>;
  /** The provider's ledger file (readLedgerFile), in the order it was written. */
  readonly ledger: { readonly entries: readonly LedgerEntry[] };
  readonly log: InvoiceLog;
  /** The instances, whose pids tell who made each delivery when the ledger has no `client`. */
  readonly instances: readonly Deliverer[];
  /** Defaults to a non-idempotent provider (the stricter checks). */
  readonly provider?: ProviderTraits;
}

/** The money problems, each as ids, and all of them as readable sentences. */
export interface MoneyFindings {
  /** (a) Invoices with more than one successful charge at the provider. */
  readonly doubleCharges: readonly string[];
  /** (b) Invoices not PAID, FAILED or UNKNOWN (missing from the read models included). */
  readonly lostInvoices: readonly string[];
  /** (b) Invoices the provider charged that Antaeus shows neither PAID nor UNKNOWN. */
  readonly chargedButNotPaidOrUnknown: readonly string[];
  /**
   * (d) Non-idempotent provider only: keys delivered again after a delivery that may
   * have reached the provider, or re-driven by the sweep. Always empty when idempotent.
   */
  readonly ambiguousRetries: readonly string[];
  /** Charges of a key already charged, counted once: see ProviderTraits.sharedMemory. */
  readonly replaysCharged: number;
  /** Every problem above and the others below, as sentences; none: money is safe. */
  readonly problems: readonly string[];
}

const SHOWN = 10;
const ENDED: readonly InvoiceStatus[] = ['PAID', 'FAILED', 'UNKNOWN'];
const NON_IDEMPOTENT: ProviderTraits = { idempotent: false, sharedMemory: false };

type Report = (what: string, items: readonly unknown[]) => void;

/**
 * Every way the provider's ledger, the event log and the read models could disagree
 * about money, as readable problems (none: money safe). See moneyFindings.
 */
export function moneyProblems(evidence: Evidence): readonly string[] {
  return moneyFindings(evidence).problems;
}

/**
 * Checks a finished run:
 * - (a) no invoice charged more than once;
 * - (b) every invoice PAID, FAILED or UNKNOWN, and every charged invoice PAID or UNKNOWN;
 * - (d) non-idempotent provider: no key delivered again once it may have reached the
 *   provider (a transport failure that never left may be retried), nothing re-driven;
 * - each invoice delivered under one key (no automatic second attempt);
 * - every delivery made by the instance that won the claim (or re-drove it), for its amount;
 * - PAID invoices charged exactly once;
 * - an invoice the provider never saw is UNKNOWN, or FAILED because the request never
 *   reached the provider (NETWORK); nothing else can explain it.
 */
export function moneyFindings(evidence: Evidence): MoneyFindings {
  const problems: string[] = [];
  const report: Report = (what, items) => {
    if (items.length === 0) return;
    problems.push(`${items.length} ${what}: ${JSON.stringify(items.slice(0, SHOWN))}`);
  };
  const provider = evidence.provider ?? NON_IDEMPOTENT;
  const statusOf = statusByInvoice(evidence);
  const { chargesByInvoice, replaysCharged } = countCharges(evidence.ledger.entries, provider);
  const charges = (id: string) => chargesByInvoice.get(id) ?? 0;

  const lostInvoices = evidence.invoices.filter((id) => !hasEnded(statusOf.get(id)));
  report(
    'invoices not PAID, FAILED or UNKNOWN',
    lostInvoices.map((id) => ({ id, status: statusOf.get(id) ?? 'missing' })),
  );
  const seeded = new Set(evidence.invoices);
  report(
    'invoices in the read models that were never seeded',
    [...statusOf.keys()].filter((id) => !seeded.has(id)),
  );
  const doubleCharges = [...chargesByInvoice].filter(([, n]) => n > 1).map(([id]) => id);
  report('invoices charged more than once', doubleCharges);
  const chargedButNotPaidOrUnknown = [...chargesByInvoice.keys()].filter(
    (id) => statusOf.get(id) !== 'PAID' && statusOf.get(id) !== 'UNKNOWN',
  );
  report(
    'charged invoices Antaeus shows neither PAID nor UNKNOWN',
    chargedButNotPaidOrUnknown.map((id) => ({ id, status: statusOf.get(id) ?? 'missing' })),
  );
  const ambiguousRetries = provider.idempotent ? [] : retriedKeys(evidence);
  report('ambiguous attempts retried automatically on a non-idempotent provider', ambiguousRetries);
  report('invoices delivered under more than one key', invoicesWithManyKeys(evidence));
  report(
    'deliveries not made by the instance that won the claim (or re-drove it), or of another amount',
    wrongDeliveries(evidence),
  );
  report(
    'PAID invoices not charged exactly once',
    evidence.statuses.PAID.filter((id) => charges(id) !== 1),
  );
  report(
    'invoices the provider never saw, neither UNKNOWN nor FAILED for a network error',
    unexplainedUndelivered(evidence, statusOf),
  );
  return {
    doubleCharges,
    lostInvoices,
    chargedButNotPaidOrUnknown,
    ambiguousRetries,
    replaysCharged,
    problems,
  };
}

function hasEnded(status: InvoiceStatus | undefined): boolean {
  return status !== undefined && ENDED.includes(status);
}

function statusByInvoice({ statuses }: Evidence): Map<string, InvoiceStatus> {
  const statusOf = new Map<string, InvoiceStatus>();
  for (const [status, ids] of Object.entries(statuses) as [InvoiceStatus, string[]][]) {
    for (const id of ids) statusOf.set(id, status);
  }
  return statusOf;
}

/** Successful charges per invoice; a key charged again by a per-process memory counts once. */
function countCharges(
  entries: readonly LedgerEntry[],
  provider: ProviderTraits,
): { chargesByInvoice: Map<string, number>; replaysCharged: number } {
  const replayable = provider.idempotent && !provider.sharedMemory;
  const chargedKeys = new Set<string>();
  const chargesByInvoice = new Map<string, number>();
  let replaysCharged = 0;
  for (const { invoiceId, idempotencyKey, outcome } of entries) {
    if (!isCharged(outcome)) continue;
    if (replayable && chargedKeys.has(idempotencyKey)) {
      replaysCharged++;
      continue;
    }
    chargedKeys.add(idempotencyKey);
    chargesByInvoice.set(invoiceId, (chargesByInvoice.get(invoiceId) ?? 0) + 1);
  }
  return { chargesByInvoice, replaysCharged };
}

/**
 * Keys delivered again after a delivery that may have reached the provider (anything
 * but a `network_error`, which never left), and keys the sweep re-drove.
 */
function retriedKeys({ ledger, log }: Evidence): string[] {
  const reached = new Set<string>();
  const retried = new Set<string>(log.redrives.keys());
  for (const { idempotencyKey, outcome } of ledger.entries) {
    if (reached.has(idempotencyKey)) retried.add(idempotencyKey);
    if (outcome !== 'network_error') reached.add(idempotencyKey);
  }
  return [...retried];
}

/**
 * Invoices that reached the provider under more than one key. A key whose every delivery
 * was a `network_error` (never left) does not count: such an attempt may be withdrawn and
 * the invoice charged under a new key (docs/design.md §2.7).
 */
function invoicesWithManyKeys({ ledger }: Evidence): string[] {
  const keysByInvoice = new Map<string, Set<string>>();
  for (const { invoiceId, idempotencyKey, outcome } of ledger.entries) {
    if (outcome === 'network_error') continue;
    keysByInvoice.set(invoiceId, (keysByInvoice.get(invoiceId) ?? new Set()).add(idempotencyKey));
  }
  return [...keysByInvoice].filter(([, keys]) => keys.size > 1).map(([id]) => id);
}

/** The provider was called only by the instance that won the claim or re-drove it, for its amount. */
function wrongDeliveries({ ledger, log, instances }: Evidence): unknown[] {
  const instanceOfPid = instancesByPid(instances);
  return ledger.entries
    .filter((entry) => {
      const claim = log.claims.get(entry.idempotencyKey);
      const allowed = [claim?.instanceId, ...(log.redrives.get(entry.idempotencyKey) ?? [])];
      return (
        claim?.invoiceId !== entry.invoiceId ||
        !allowed.includes(delivererOf(entry, instanceOfPid)) ||
        claim.amount.value !== entry.amount.value ||
        claim.amount.currency !== entry.amount.currency
      );
    })
    .map((entry) => ({
      idempotencyKey: entry.idempotencyKey,
      by: delivererOf(entry, instanceOfPid) ?? `pid ${entry.pid}`,
      amount: entry.amount,
      claim: log.claims.get(entry.idempotencyKey),
    }));
}

function unexplainedUndelivered(
  { invoices, ledger, log }: Evidence,
  statusOf: ReadonlyMap<string, InvoiceStatus>,
): string[] {
  const delivered = new Set(ledger.entries.map((entry) => entry.invoiceId));
  const explained = (id: string) =>
    statusOf.get(id) === 'UNKNOWN' ||
    (statusOf.get(id) === 'FAILED' && log.failures.get(id) === 'NETWORK');
  // Not PAID/FAILED/UNKNOWN at all is reported as lost already.
  return invoices.filter(
    (id) => hasEnded(statusOf.get(id)) && !delivered.has(id) && !explained(id),
  );
}
