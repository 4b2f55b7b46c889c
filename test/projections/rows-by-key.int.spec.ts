import { rowsByKey, type RowsByKeySpec } from '../../projections/sql/rows-by-key';
import { textOf, type SqlQueryable } from '../../src/database/sql-database';
import type { OpenStore } from '../support/event-store-backends';
import { backendsWith } from '../support/backends';
import { openBackend } from './projection-test-kit';

const SPEC: RowsByKeySpec = {
  table: 'attempts',
  columns: 't.invoice_id, t.attempt, t.outcome',
  key: [
    ['invoice_id', 'text'],
    ['attempt', 'integer'],
  ],
};

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

/** `db`, keeping every statement it is asked (text and parameters) in `asked`. */
function recording(db: SqlQueryable) {
  const asked: { text: string; params: readonly unknown[] }[] = [];
  const recorder: SqlQueryable = {
    query: (text, params = []) => {
      asked.push({ text: textOf(text), params });
      return db.query(text, params);
    },
    exec: (script) => db.exec(script),
  };
  return { db: recorder, asked };
}

/** Every node of an EXPLAIN (FORMAT JSON) plan, depth first. */
function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

describe.each(backendsWith('openStore'))('rowsByKey on $name', (backend) => {
  let open: OpenStore;

  beforeAll(async () => {
    open = await openBackend(backend, 'rows_by_key');
    // 40,000 rows, never analyzed: the planner knows nothing of them but the pages.
    await open.db.exec(`
      CREATE TABLE attempts (
        invoice_id text NOT NULL, attempt integer NOT NULL, outcome text NOT NULL,
        PRIMARY KEY (invoice_id, attempt));
      INSERT INTO attempts SELECT i::text, a, 'PAID'
        FROM generate_series(1, 20000) AS i, generate_series(1, 2) AS a;`);
  });

  afterAll(async () => {
    await open.close();
  });

  it('finds the row of each key given, and nothing for keys not stored', async () => {
    const rows = await rowsByKey<{ invoice_id: string; attempt: number }>(open.db, SPEC, [
      ['7', '7', '20001', '8', '7'],
      [2, 1, 1, 3, 2],
    ]);
    const found = rows.map((row) => `${row.invoice_id}#${row.attempt}`).sort();
    expect(found).toEqual(['7#1', '7#2', '7#2']);
    expect(rows[0]).toEqual({ invoice_id: '7', attempt: 2, outcome: 'PAID' });
  });

  it('asks nothing for no keys', async () => {
    const { db, asked } = recording(open.db);
    expect(await rowsByKey(db, SPEC, [[], []])).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('probes the primary key for each key, with no statistics, for a batch of 500', async () => {
    // A `= ANY` of these keys or a join with them as a record set is planned here as a
    // sequential scan of the whole table for every batch.
    const { db, asked } = recording(open.db);
    const ids = Array.from({ length: 500 }, (_, i) => String(1000 + i * 7));
    expect(await rowsByKey(db, SPEC, [ids, ids.map(() => 1)])).toHaveLength(500);

    const [explained] = await open.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${asked[0].text}`,
      asked[0].params,
    );
    const scans = nodesOf(explained['QUERY PLAN'][0].Plan).filter(
      (node) => node['Relation Name'] === 'attempts',
    );
    expect(scans.map((node) => node['Node Type'])).toEqual([
      expect.stringMatching(/^Index (Only )?Scan$/),
    ]);
  });
});
