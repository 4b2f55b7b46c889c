import {
  parseBillingRunStream,
  type BillingRunEvent,
  type InvoiceEvent,
} from '../../src/billing/domain';
import type { SqlQueryable } from '../../src/database/sql-database';
import type { RecordedEvent } from '../../src/event-store/recorded-event';
import { invoiceEventsOf } from '../invoice-events-of';
import type { Projection, TableNames } from '../projection';
import { rowsByKey } from '../sql/rows-by-key';
import { upsertRows, type Column } from '../sql/upsert-rows';
import {
  ATTEMPT_STANDINGS,
  attemptStanding,
  evolveAttemptFacts,
  type AttemptFacts,
  type AttemptPlace,
  type AttemptStanding,
} from './attempt-standing';
import { billingRunsSchema } from './billing-runs.schema';

interface TrackedAttempt {
  readonly invoiceId: string;
  readonly attempt: number;
  readonly runId: string;
  readonly before: AttemptPlace | null;
  facts: AttemptFacts;
}

const ATTEMPT_COLUMNS: readonly Column[] = [
  ['invoice_id', 'text'],
  ['attempt', 'integer'],
  ['run_id', 'text'],
  ['outcome', 'text'],
  ['provider_said', 'text'],
  ['resolved_as', 'text'],
];

const COUNT_COLUMNS: readonly Column[] = [
  ['run_id', 'text'],
  ...ATTEMPT_STANDINGS.map((standing): Column => [standing, 'integer']),
];

/** Billing runs, with their attempts counted by how they stand now. */
export const billingRunsProjection: Projection = {
  name: 'billing_runs',
  tables: ['billing_runs', 'billing_run_counts', 'billing_run_attempts'],
  schema: billingRunsSchema,
  async apply(tx, events, names) {
    await applyRunEvents(tx, events, names('billing_runs'));
    await applyAttemptEvents(tx, events, names);
  },
};

/** Starts and completions are a few per month: one statement each is fine. */
async function applyRunEvents(
  tx: SqlQueryable,
  events: readonly RecordedEvent[],
  table: string,
): Promise<void> {
  for (const recorded of events) {
    if (!parseBillingRunStream(recorded.stream)) continue;
    const event = { type: recorded.type, data: recorded.data } as unknown as BillingRunEvent;
    if (event.type === 'BillingStarted') {
      const { runId, period, trigger, startedAt } = event.data;
      await tx.query(
        `INSERT INTO ${table} (run_id, period, trigger, status, started_at)
         VALUES ($1, $2, $3, 'RUNNING', $4) ON CONFLICT (run_id) DO NOTHING`,
        [runId, period, trigger, startedAt],
      );
    } else if (event.type === 'BillingCompleted') {
      await tx.query(
        `UPDATE ${table} SET status = 'COMPLETED', completed_at = $2 WHERE run_id = $1`,
        [event.data.runId, event.data.completedAt],
      );
    }
  }
}

async function applyAttemptEvents(
  tx: SqlQueryable,
  events: readonly RecordedEvent[],
  names: TableNames,
): Promise<void> {
  const touched = invoiceEventsOf(events).filter(({ event }) => 'attempt' in event.data);
  if (touched.length === 0) return;
  const tracked = await loadAttempts(tx, names('billing_run_attempts'), touched.map(toKey));
  for (const { event } of touched) track(tracked, event);
  await upsertRows(
    tx,
    {
      table: names('billing_run_attempts'),
      columns: ATTEMPT_COLUMNS,
      conflict: '(invoice_id, attempt)',
      update:
        'outcome = excluded.outcome, provider_said = excluded.provider_said, resolved_as = excluded.resolved_as',
    },
    [...tracked.values()].map(toAttemptRow),
  );
  const counts = names('billing_run_counts');
  await upsertRows(
    tx,
    {
      table: counts,
      columns: COUNT_COLUMNS,
      conflict: '(run_id)',
      update: ATTEMPT_STANDINGS.map((s) => `${s} = ${counts}.${s} + excluded.${s}`).join(', '),
    },
    countDeltas(tracked.values()),
  );
}

function track(tracked: Map<string, TrackedAttempt>, event: InvoiceEvent): void {
  const data = event.data as { invoiceId: string; attempt: number; runId: string };
  const key = toKey({ invoiceId: data.invoiceId, event });
  const current = tracked.get(key);
  const facts = evolveAttemptFacts(current?.facts ?? null, event);
  if (!facts) return; // an event about an attempt never made: the invoices projection reports it
  if (current) current.facts = facts;
  else
    tracked.set(key, {
      invoiceId: data.invoiceId,
      attempt: data.attempt,
      runId: data.runId,
      before: null,
      facts,
    });
}

function countDeltas(attempts: Iterable<TrackedAttempt>): Record<string, unknown>[] {
  const deltas = new Map<string, Record<AttemptStanding, number>>();
  for (const attempt of attempts) {
    const after = attemptStanding(attempt.facts);
    if (after === attempt.before) continue;
    let delta = deltas.get(attempt.runId);
    if (!delta)
      deltas.set(attempt.runId, (delta = { processing: 0, paid: 0, failed: 0, unknown: 0 }));
    if (after !== 'withdrawn') delta[after] += 1;
    if (attempt.before && attempt.before !== 'withdrawn') delta[attempt.before] -= 1;
  }
  return [...deltas].map(([run_id, delta]) => ({ run_id, ...delta }));
}

function toKey({ invoiceId, event }: { invoiceId: string; event: InvoiceEvent }): string {
  return attemptKey(invoiceId, (event.data as { attempt: number }).attempt);
}

function attemptKey(invoiceId: string, attempt: number): string {
  return `${invoiceId}#${attempt}`;
}

/** The stored facts of the attempts named by `keys` (`invoiceId#attempt`). */
async function loadAttempts(
  tx: SqlQueryable,
  table: string,
  keys: readonly string[],
): Promise<Map<string, TrackedAttempt>> {
  const wanted = [...new Set(keys)].map((key) => {
    const at = key.lastIndexOf('#');
    return { invoiceId: key.slice(0, at), attempt: Number(key.slice(at + 1)) };
  });
  const rows = await rowsByKey<{
    invoice_id: string;
    attempt: number;
    run_id: string;
    outcome: AttemptFacts['outcome'];
    provider_said: AttemptFacts['providerSaid'];
    resolved_as: AttemptFacts['resolvedAs'];
  }>(
    tx,
    {
      table,
      columns: 't.invoice_id, t.attempt, t.run_id, t.outcome, t.provider_said, t.resolved_as',
      key: [
        ['invoice_id', 'text'],
        ['attempt', 'integer'],
      ],
    },
    [wanted.map((key) => key.invoiceId), wanted.map((key) => key.attempt)],
  );
  return new Map(
    rows.map((row) => {
      const facts = {
        outcome: row.outcome,
        providerSaid: row.provider_said,
        resolvedAs: row.resolved_as,
      };
      const tracked: TrackedAttempt = {
        invoiceId: row.invoice_id,
        attempt: row.attempt,
        runId: row.run_id,
        before: attemptStanding(facts),
        facts,
      };
      return [attemptKey(row.invoice_id, row.attempt), tracked];
    }),
  );
}

function toAttemptRow(attempt: TrackedAttempt): Record<string, unknown> {
  return {
    invoice_id: attempt.invoiceId,
    attempt: attempt.attempt,
    run_id: attempt.runId,
    outcome: attempt.facts.outcome,
    provider_said: attempt.facts.providerSaid,
    resolved_as: attempt.facts.resolvedAs,
  };
}
