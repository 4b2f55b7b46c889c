import type { QueryConfig } from 'pg';
import type { SqlText } from './sql-database';

/** A named statement is prepared by `pg` on a connection's first use of it, then reused. */
export function queryConfig(sql: SqlText, params: readonly unknown[]): QueryConfig {
  const values = params as unknown[];
  return typeof sql === 'string'
    ? { text: sql, values }
    : { name: sql.name, text: sql.text, values };
}
