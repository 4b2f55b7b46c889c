import { mkdir } from 'node:fs/promises';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PgSqlDatabase } from './pg-sql-database';
import { PgliteSqlDatabase } from './pglite-sql-database';
import type { SqlDatabase } from './sql-database';

export const SQL_DATABASE = Symbol('SQL_DATABASE');

async function openDatabase(config: AppConfig): Promise<SqlDatabase> {
  const { database } = config;
  if (database.kind === 'pglite') {
    await mkdir(database.dataDir, { recursive: true });
    return PgliteSqlDatabase.open(database.dataDir);
  }
  return new PgSqlDatabase({
    connectionString: database.url,
    poolSize: database.poolSize,
    applicationName: `antaeus ${config.instanceId}`,
  });
}

/** The SQL database of the read models (and of the events, but for EventStoreDB). */
@Global()
@Module({
  providers: [{ provide: SQL_DATABASE, inject: [APP_CONFIG], useFactory: openDatabase }],
  exports: [SQL_DATABASE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
