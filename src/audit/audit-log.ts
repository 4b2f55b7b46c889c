import {
  evolveInvoice,
  findInvoiceDiscrepancies,
  initialInvoiceState,
  parseInvoiceStream,
  type InvoiceDiscrepancy,
  type InvoiceState,
  type InvoiceStatus,
  zeroCountsByStatus,
} from '../billing/domain';
import { fromRecordedInvoiceEvent } from '../billing/store/invoice-event-data';
import type { EventStore } from '../event-store/event-store.port';
import { START, type Position } from '../event-store/position';
import type { RecordedEvent } from '../event-store/recorded-event';

export type Violation =
  | { readonly kind: 'STREAM_CORRUPT'; readonly invoiceId: string; readonly message: string }
  | {
      readonly kind: 'CHARGED_MORE_THAN_ONCE';
      readonly invoiceId: string;
      readonly attempts: readonly number[];
    }
  | {
      readonly kind: 'ATTEMPT_NOT_ENDED';
      readonly invoiceId: string;
      readonly attempt: number;
      readonly openSince: string;
    }
  | {
      readonly kind: 'AUDIT_TRAIL_INCOMPLETE';
      readonly invoiceId: string;
      readonly revision: string;
      readonly missing: readonly string[];
    };

/** Facts that need a person (a refund, a call to the provider), not a broken invariant. */
export type Attention = { readonly invoiceId: string } & Exclude<
  InvoiceDiscrepancy,
  { kind: 'CHARGED_MORE_THAN_ONCE' }
>;

export interface LogAudit {
  readonly events: number;
  readonly invoices: number;
  readonly byStatus: Record<InvoiceStatus, number>;
  readonly violations: readonly Violation[];
  readonly attention: readonly Attention[];
}

/** What every stage of a charge must say about itself (docs/design.md §2.4). */
const CHARGE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ChargeAttempted: ['attempt', 'idempotencyKey', 'runId', 'instanceId', 'attemptedAt'],
  ChargeRedriven: ['attempt', 'idempotencyKey', 'runId', 'instanceId', 'redrivenAt'],
  InvoicePaid: ['attempt', 'idempotencyKey', 'runId', 'instanceId', 'paidAt'],
  ChargeFailed: ['attempt', 'idempotencyKey', 'runId', 'instanceId', 'reason', 'failedAt'],
  ChargeOutcomeUnknown: ['attempt', 'idempotencyKey', 'runId', 'instanceId', 'at'],
  ChargeWithdrawn: ['attempt', 'idempotencyKey', 'runId', 'instanceId', 'reason', 'withdrawnAt'],
  InvoiceResolved: ['attempt', 'idempotencyKey', 'runId', 'instanceId', 'outcome', 'note', 'at'],
};

/**
 * Replays every invoice stream with the domain and checks docs/design.md §2: no stream holds
 * what decide could not have written (one open attempt at a time, PAID final…), no
 * invoice was charged more than once, every attempt ended within the attempt timeout,
 * and every stage names its attempt, key, run, instance and time.
 */
export async function auditLog(
  store: EventStore,
  options: {
    readonly now: Date;
    readonly attemptTimeoutMs: number;
    readonly onProgress?: (events: number) => void;
  },
): Promise<LogAudit> {
  const states = new Map<string, InvoiceState>();
  const violations: Violation[] = [];
  const corrupt = new Set<string>();
  let events = 0;
  let after: Position = START;
  for (;;) {
    const batch = await store.readAll({
      after,
      filter: { streamPrefixes: ['invoice-'] },
      limit: 2_000,
    });
    if (batch.length === 0) break;
    for (const recorded of batch) replay(recorded, states, corrupt, violations);
    events += batch.length;
    after = batch[batch.length - 1].position;
    options.onProgress?.(events);
  }

  const byStatus = zeroCountsByStatus();
  const attention: Attention[] = [];
  const deadline = options.now.getTime() - options.attemptTimeoutMs;
  for (const [invoiceId, state] of states) {
    if (!state.exists || corrupt.has(invoiceId)) continue;
    byStatus[state.status] += 1;
    for (const discrepancy of findInvoiceDiscrepancies(state)) {
      if (discrepancy.kind === 'CHARGED_MORE_THAN_ONCE')
        violations.push({ invoiceId, ...discrepancy });
      else attention.push({ invoiceId, ...discrepancy });
    }
    const open = state.openAttempt;
    if (open && Date.parse(open.lastDrivenAt) < deadline) {
      violations.push({
        kind: 'ATTEMPT_NOT_ENDED',
        invoiceId,
        attempt: open.attempt,
        openSince: open.lastDrivenAt,
      });
    }
  }
  return { events, invoices: states.size, byStatus, violations, attention };
}

function replay(
  recorded: RecordedEvent,
  states: Map<string, InvoiceState>,
  corrupt: Set<string>,
  violations: Violation[],
): void {
  const invoiceId = parseInvoiceStream(recorded.stream);
  if (invoiceId === null || corrupt.has(invoiceId)) return;
  const missing = (CHARGE_FIELDS[recorded.type] ?? []).filter((field) => {
    const value = recorded.data[field];
    return value === undefined || value === null || value === '';
  });
  if (missing.length > 0) {
    violations.push({
      kind: 'AUDIT_TRAIL_INCOMPLETE',
      invoiceId,
      revision: recorded.revision.toString(),
      missing,
    });
  }
  try {
    states.set(
      invoiceId,
      evolveInvoice(
        states.get(invoiceId) ?? initialInvoiceState,
        fromRecordedInvoiceEvent(recorded),
      ),
    );
  } catch (error) {
    corrupt.add(invoiceId);
    violations.push({
      kind: 'STREAM_CORRUPT',
      invoiceId,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
