import { Inject } from '@nestjs/common';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { ALL_PROJECTIONS } from '../../../projections/all-projections';
import { rebuildProjections } from '../../../projections/rebuild/rebuild-projections';
import { SQL_DATABASE } from '../../database/database.module';
import type { SqlDatabase } from '../../database/sql-database';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { ProgressBar } from '../progress-bar';

@SubCommand({
  name: 'rebuild',
  arguments: '[name]',
  description: `Rebuild projections blue/green from the log (all, or one of: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')})`,
})
export class ProjectionsRebuildSubCommand extends CommandRunner {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    super();
  }

  async run([name]: string[]): Promise<void> {
    const names = name ? [name] : undefined;
    const bar = new ProgressBar('rebuilding', 'events', 0);
    const startedAt = Date.now();
    const result = await rebuildProjections(this.db, this.store, names, (progress) =>
      bar.update(progress.done, progress.total ?? progress.done),
    );
    bar.stop();
    console.log(
      `Rebuilt ${result.projections.join(', ')} from ${result.events} events in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; swapped in at checkpoint ${result.checkpoint.commit}/${result.checkpoint.prepare}`,
    );
  }
}

@Command({
  name: 'projections',
  description: 'Read-model projections',
  subCommands: [ProjectionsRebuildSubCommand],
})
export class ProjectionsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
