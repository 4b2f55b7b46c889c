import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { SQL_DATABASE } from '../src/database/database.module';
import type { SqlDatabase } from '../src/database/sql-database';
import { EVENT_STORE, type EventStore } from '../src/event-store/event-store.port';
import { ALL_PROJECTIONS } from './all-projections';
import { Projector } from './projector/projector';
import { migrateReadModels } from './migrations/read-model.migrations';

/**
 * Migrates the read models at start, runs one projector per projection from bootstrap
 * (each active here only while it holds its lease), and stops them on shutdown, before
 * the database closes.
 */
@Injectable()
export class ProjectionsRunner implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  readonly projectors: readonly Projector[];

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) store: EventStore,
  ) {
    this.projectors = ALL_PROJECTIONS.map((projection) => new Projector(db, store, projection));
  }

  async onModuleInit(): Promise<void> {
    await migrateReadModels(this.db);
  }

  onApplicationBootstrap(): void {
    for (const projector of this.projectors) projector.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopHere();
  }

  /**
   * Stops projecting in this process, leases released: another process (the running
   * service, or the next to start) projects from the checkpoints. For a command that only
   * appends, so its CPU goes to the appends (docs/benchmarks.md, Import).
   */
  async stopHere(): Promise<void> {
    await Promise.all(this.projectors.map((projector) => projector.stop()));
  }

  isActiveHere(name: string): boolean {
    return this.projectors.some((projector) => projector.name === name && projector.activeHere);
  }
}
