import { EnvReader } from './env-reader';
import { ConfigError } from './load-config';

/** The machine's PostgreSQL, as CI and a developer's machine run it (trust auth). */
export const DEFAULT_ADMIN_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The PostgreSQL server on which tests and benchmarks create (and drop) their own
 * databases: TEST_ADMIN_DATABASE_URL, read with the service's grammar, or the default.
 * Not a setting of the service itself, so not in CONFIG_VARIABLES.
 */
export function adminDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const read = new EnvReader(env);
  const url = read.postgresUrl('TEST_ADMIN_DATABASE_URL') ?? DEFAULT_ADMIN_DATABASE_URL;
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return url;
}
