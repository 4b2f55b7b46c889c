import { Inject } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import { compareWithReplay } from '../../../projections/audit/compare-with-replay';
import { auditLog } from '../../audit/audit-log';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { SQL_DATABASE } from '../../database/database.module';
import type { SqlDatabase } from '../../database/sql-database';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { ProgressBar } from '../progress-bar';
import { formatCounts } from './billing-run.command';

const SHOWN = 20;

@Command({
  name: 'audit',
  description:
    'Replay every stream, check the invariants of docs/design.md §2 and that the read models equal the replay; exit 1 on any violation',
})
export class AuditCommand extends CommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async run(): Promise<void> {
    const bar = new ProgressBar('replaying', 'events', 0);
    const log = await auditLog(this.store, {
      now: new Date(),
      attemptTimeoutMs: this.config.billing.attemptTimeoutMs,
      onProgress: (events) => bar.update(events, events),
    });
    bar.stop();
    const readModels = await compareWithReplay(this.db, this.store);
    const mismatched = readModels.filter((report) => !report.ok);

    console.log(
      `Audit of ${log.events} invoice events, ${log.invoices} invoices: ${formatCounts(log.byStatus)}`,
    );
    console.log(`  invariant violations: ${log.violations.length}`);
    for (const violation of log.violations.slice(0, SHOWN))
      console.log(`    ${JSON.stringify(violation)}`);
    console.log(`  needing a person (not violations): ${log.attention.length}`);
    for (const item of log.attention.slice(0, SHOWN)) console.log(`    ${JSON.stringify(item)}`);
    for (const report of readModels) {
      console.log(
        `  read model ${report.projection}: ${report.rows} rows at ${report.checkpoint.commit}/${report.checkpoint.prepare}, ${report.ok ? 'equal to the replay' : `${report.differenceCount} differences`}`,
      );
      for (const difference of report.differences.slice(0, SHOWN))
        console.log(`    ${JSON.stringify(difference)}`);
    }
    const ok = log.violations.length === 0 && mismatched.length === 0;
    console.log(ok ? 'AUDIT OK' : 'AUDIT FAILED');
    if (!ok) process.exitCode = 1;
  }
}
