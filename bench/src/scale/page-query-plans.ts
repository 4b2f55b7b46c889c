import type { Client } from 'pg';
import { SqlInvoiceReadModel } from '../../../projections/invoices/sql-invoice-read-model';
import type { InvoicePageRequest } from '../../../src/api/read-models/invoice-read-model.port';
import type { SqlQueryable } from '../../../src/database/sql-database';

interface Statement {
  readonly text: string;
  readonly params: readonly unknown[];
}

/** Runs queries on `client` and keeps each statement, to explain exactly what was run. */
class RecordingQueryable implements SqlQueryable {
  readonly statements: Statement[] = [];

  constructor(private readonly client: Client) {}

  // One client runs one query at a time: the read model's parallel queries take turns.
  private turn: Promise<unknown> = Promise.resolve();

  query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    this.statements.push({ text, params });
    const result = this.turn.then(() => this.client.query(text, [...params]));
    this.turn = result.catch(() => undefined);
    return result.then((answer) => answer.rows as Row[]);
  }

  exec(): Promise<void> {
    return Promise.reject(new Error('not used by the page query'));
  }
}

export interface QueryPlan {
  readonly sql: string;
  readonly params: readonly unknown[];
  /** EXPLAIN (ANALYZE, BUFFERS) output, one line per entry. */
  readonly plan: readonly string[];
}

/**
 * The statements the service's invoice read model runs for one page of one status,
 * captured from the read model itself (so they cannot drift from it), each then run
 * again under EXPLAIN (ANALYZE, BUFFERS).
 */
export async function pageQueryPlans(
  client: Client,
  status: 'PAID',
  request: InvoicePageRequest,
): Promise<QueryPlan[]> {
  const recorder = new RecordingQueryable(client);
  await new SqlInvoiceReadModel(recorder).byStatus(status, request);
  const plans: QueryPlan[] = [];
  for (const { text, params } of recorder.statements) {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${text}`,
      [...params],
    );
    plans.push({
      sql: text.replace(/\s+/g, ' '),
      params,
      plan: rows.map((row) => row['QUERY PLAN']),
    });
  }
  return plans;
}
