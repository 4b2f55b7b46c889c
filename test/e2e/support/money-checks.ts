import { Client } from 'pg';
import type { InvoiceStatus } from '../../../src/billing/domain/invoice-status';
import type { Money } from '../../../src/billing/domain/money';
import type { LedgerFileContents } from '../../../src/payments/simulated/read-ledger-file';
import type { ServiceProcess } from './service-process';

/** A ChargeAttempted: the claim of one attempt, won by `instanceId`. */
export interface Claim {
  readonly invoiceId: string;
  readonly idempotencyKey: string;
  readonly instanceId: string;
  readonly amount: Money;
}

export interface InvoiceLog {
  /** Every claim, by idempotency key. */
  readonly claims: ReadonlyMap<string, Claim>;
  /** Invoices whose attempt the recovery sweep marked UNKNOWN, with the claim's instance. */
  readonly sweptUnknown: ReadonlyMap<string, string>;
}

/** Reads the claims and the sweep's verdicts straight from the event log. */
export async function readInvoiceLog(databaseUrl: string): Promise<InvoiceLog> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      event_type: string;
      data: { invoiceId: string; idempotencyKey: string; amount: Money };
      metadata: { instanceId: string; causation: string };
    }>(
      `SELECT event_type, data, metadata FROM events
        WHERE event_type IN ('ChargeAttempted', 'ChargeOutcomeUnknown')
        ORDER BY transaction_id, global_position`,
    );
    const claims = new Map<string, Claim>();
    const sweptUnknown = new Map<string, string>();
    for (const { event_type: type, data, metadata } of rows) {
      if (type === 'ChargeAttempted') {
        const { invoiceId, idempotencyKey, amount } = data;
        claims.set(idempotencyKey, {
          invoiceId,
          idempotencyKey,
          amount,
          instanceId: metadata.instanceId,
        });
      } else if (metadata.causation === 'recovery-sweep') {
        sweptUnknown.set(data.invoiceId, claims.get(data.idempotencyKey)?.instanceId ?? '?');
      }
    }
    return { claims, sweptUnknown };
  } finally {
    await client.end();
  }
}

export function claimsByInstance(log: InvoiceLog): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { instanceId } of log.claims.values()) {
    counts[instanceId] = (counts[instanceId] ?? 0) + 1;
  }
  return counts;
}

const SHOWN = 10;

/** What a finished run left behind, from the provider, the event log and the read models. */
export interface Evidence {
  /** Every invoice the run was to charge. */
  readonly invoices: readonly string[];
  readonly statuses: Readonly<Record<InvoiceStatus, string[]>>;
  readonly ledger: LedgerFileContents;
  readonly log: InvoiceLog;
  /** The instances, whose pids tell who made each delivery in the ledger. */
  readonly instances: readonly ServiceProcess[];
}

type Report = (what: string, items: readonly unknown[]) => void;

/**
 * Every way the provider's ledger, the event log and the read models could disagree
 * about money, as readable problems (none: money safe):
 * - an invoice not PAID, FAILED or UNKNOWN;
 * - an invoice charged twice, or delivered under two keys, or one key delivered twice
 *   (retries of a request that never left aside);
 * - a delivery by an instance that did not win the claim, or of another amount;
 * - an invoice shown PAID without exactly one charge, or FAILED with one;
 * - an invoice the provider never saw, unless the sweep marked it UNKNOWN (its
 *   instance died after the claim, before the call).
 */
export function moneyProblems(evidence: Evidence): string[] {
  const problems: string[] = [];
  const report: Report = (what, items) => {
    if (items.length === 0) return;
    problems.push(`${items.length} ${what}: ${JSON.stringify(items.slice(0, SHOWN))}`);
  };
  const statusOf = new Map<string, InvoiceStatus>();
  for (const [status, ids] of Object.entries(evidence.statuses) as [InvoiceStatus, string[]][]) {
    for (const id of ids) statusOf.set(id, status);
  }
  checkStatuses(evidence, statusOf, report);
  checkDeliveries(evidence, report);
  checkDeliverers(evidence, report);
  checkAgreement(evidence, statusOf, report);
  return problems;
}

function checkStatuses(
  { invoices }: Evidence,
  statusOf: ReadonlyMap<string, InvoiceStatus>,
  report: Report,
): void {
  const ended: readonly string[] = ['PAID', 'FAILED', 'UNKNOWN'];
  report(
    'invoices not PAID, FAILED or UNKNOWN',
    invoices
      .map((id) => ({ id, status: statusOf.get(id) ?? 'missing' }))
      .filter(({ status }) => !ended.includes(status)),
  );
  const seeded = new Set(invoices);
  report(
    'invoices in the read models that were never seeded',
    [...statusOf.keys()].filter((id) => !seeded.has(id)),
  );
}

/** Each invoice reached the provider under one key, once (never-sent retries aside). */
function checkDeliveries({ ledger }: Evidence, report: Report): void {
  report('invoices charged more than once', ledger.doubleCharges);
  const keysByInvoice = new Map<string, Set<string>>();
  const deliveriesByKey = new Map<string, number>();
  for (const { invoiceId, idempotencyKey, outcome } of ledger.entries) {
    if (outcome === 'network_error') continue;
    keysByInvoice.set(invoiceId, (keysByInvoice.get(invoiceId) ?? new Set()).add(idempotencyKey));
    deliveriesByKey.set(idempotencyKey, (deliveriesByKey.get(idempotencyKey) ?? 0) + 1);
  }
  report(
    'invoices delivered under more than one key',
    [...keysByInvoice].filter(([, keys]) => keys.size > 1).map(([id]) => id),
  );
  report(
    'keys delivered more than once',
    [...deliveriesByKey].filter(([, deliveries]) => deliveries > 1),
  );
}

/** The provider was called only by the instance that won the claim, for its amount. */
function checkDeliverers({ ledger, log, instances }: Evidence, report: Report): void {
  const instanceOfPid = new Map<number, string>();
  for (const instance of instances) {
    for (const pid of instance.pids) instanceOfPid.set(pid, instance.instanceId);
  }
  const wrong = ledger.entries.filter(({ idempotencyKey, invoiceId, pid, amount }) => {
    const claim = log.claims.get(idempotencyKey);
    return (
      claim?.invoiceId !== invoiceId ||
      claim.instanceId !== instanceOfPid.get(pid) ||
      claim.amount.value !== amount.value ||
      claim.amount.currency !== amount.currency
    );
  });
  report(
    'deliveries not made by the instance that won the claim, or of another amount',
    wrong.map(({ idempotencyKey, pid, amount }) => ({
      idempotencyKey,
      by: instanceOfPid.get(pid) ?? `pid ${pid}`,
      amount,
      claim: log.claims.get(idempotencyKey),
    })),
  );
}

/** What the read models show agrees with what the provider did. */
function checkAgreement(
  { invoices, statuses, ledger, log }: Evidence,
  statusOf: ReadonlyMap<string, InvoiceStatus>,
  report: Report,
): void {
  const charges = (id: string) => ledger.chargesByInvoice.get(id) ?? 0;
  report(
    'PAID invoices not charged exactly once',
    statuses.PAID.filter((id) => charges(id) !== 1),
  );
  report(
    'FAILED invoices the provider charged',
    statuses.FAILED.filter((id) => charges(id) !== 0),
  );
  const delivered = new Set(ledger.entries.map((entry) => entry.invoiceId));
  const sweptUnknown = (id: string) => statusOf.get(id) === 'UNKNOWN' && log.sweptUnknown.has(id);
  report(
    'invoices the provider never saw, not marked UNKNOWN by the sweep',
    invoices.filter((id) => !delivered.has(id) && !sweptUnknown(id)),
  );
}
