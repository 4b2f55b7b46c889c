import { Client } from 'pg';
import type {
  ChargeFailureReason,
  WithdrawReason,
} from '../../../src/billing/domain/failure-reason';
import type { Money } from '../../../src/shared/money';

/** A ChargeAttempted: the claim of one attempt, won by `instanceId`. */
export interface Claim {
  readonly invoiceId: string;
  readonly idempotencyKey: string;
  readonly instanceId: string;
  readonly amount: Money;
  /** The billing run whose pass made the claim. */
  readonly runId: string;
  /** Which automatic retry the claim charges; 0 for an ordinary attempt. */
  readonly retry: number;
}

/** A BillingStarted: the run, how it was triggered and the instance whose start won. */
export interface RunStart {
  readonly runId: string;
  readonly trigger: string;
  readonly instanceId: string;
}

export interface InvoiceLog {
  /** Every claim, by idempotency key. */
  readonly claims: ReadonlyMap<string, Claim>;
  /** Invoices whose attempt the recovery sweep marked UNKNOWN, with the claim's instance. */
  readonly sweptUnknown: ReadonlyMap<string, string>;
  /** Every ChargeWithdrawn (a claim given up, nothing sent or charged): its reason, by key. */
  readonly withdrawn: ReadonlyMap<string, WithdrawReason>;
  /** Every ChargeRedriven (the sweep charging again with the same key): the instances, by key. */
  readonly redrives: ReadonlyMap<string, readonly string[]>;
  /** The reason of each invoice's last ChargeFailed. */
  readonly failures: ReadonlyMap<string, ChargeFailureReason>;
  /** Every billing run started, in the order of the log. */
  readonly runs: readonly RunStart[];
}

interface Row {
  event_type: string;
  data: {
    invoiceId: string;
    idempotencyKey: string;
    amount: Money;
    instanceId: string;
    reason: ChargeFailureReason | WithdrawReason;
    runId: string;
    retry?: number;
    trigger: string;
  };
  metadata: { instanceId: string; causation: string };
}

/**
 * Reads the claims, withdrawals, re-drives, failures, the sweep's verdicts and the runs started
 * straight from the event log.
 */
export async function readInvoiceLog(databaseUrl: string): Promise<InvoiceLog> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Row>(
      `SELECT event_type, data, metadata FROM events
        WHERE event_type IN ('ChargeAttempted', 'ChargeRedriven', 'ChargeFailed',
                             'ChargeWithdrawn', 'ChargeOutcomeUnknown', 'BillingStarted')
        ORDER BY transaction_id, global_position`,
    );
    return invoiceLogOf(rows);
  } finally {
    await client.end();
  }
}

function invoiceLogOf(rows: readonly Row[]): InvoiceLog {
  const claims = new Map<string, Claim>();
  const sweptUnknown = new Map<string, string>();
  const withdrawn = new Map<string, WithdrawReason>();
  const redrives = new Map<string, string[]>();
  const failures = new Map<string, ChargeFailureReason>();
  const runs: RunStart[] = [];
  for (const { event_type: type, data, metadata } of rows) {
    const { invoiceId, idempotencyKey } = data;
    if (type === 'BillingStarted') {
      runs.push({ runId: data.runId, trigger: data.trigger, instanceId: metadata.instanceId });
    } else if (type === 'ChargeAttempted') {
      const { amount, runId } = data;
      claims.set(idempotencyKey, {
        invoiceId,
        idempotencyKey,
        amount,
        instanceId: metadata.instanceId,
        runId,
        retry: data.retry ?? 0,
      });
    } else if (type === 'ChargeRedriven') {
      redrives.set(idempotencyKey, [...(redrives.get(idempotencyKey) ?? []), data.instanceId]);
    } else if (type === 'ChargeWithdrawn') {
      withdrawn.set(idempotencyKey, data.reason as WithdrawReason);
    } else if (type === 'ChargeFailed') {
      failures.set(invoiceId, data.reason as ChargeFailureReason);
    } else if (metadata.causation === 'recovery-sweep') {
      sweptUnknown.set(invoiceId, claims.get(idempotencyKey)?.instanceId ?? '?');
    }
  }
  return { claims, sweptUnknown, withdrawn, redrives, failures, runs };
}

export function claimsByInstance(log: InvoiceLog): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { instanceId } of log.claims.values()) {
    counts[instanceId] = (counts[instanceId] ?? 0) + 1;
  }
  return counts;
}
