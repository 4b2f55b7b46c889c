import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminDatabaseUrl } from '../../src/config/admin-database-url';

/** Where tests create their databases; the machine's PostgreSQL by default. */
export const ADMIN_DATABASE_URL = adminDatabaseUrl();

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty PostgreSQL database for one test file: runs never see each other's
 * data, and drop() removes it (forcing out connections a failed test left behind).
 */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `antaeus_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
