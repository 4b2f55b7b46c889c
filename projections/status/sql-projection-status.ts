import type { SqlQueryable } from '../../src/database/sql-database';
import { formatPosition, type Position } from '../../src/event-store/position';
import type {
  ProjectionState,
  ProjectionStatus,
} from '../../src/billing/engine/billing-read-model.port';
import { ProjectionWaitTimeoutError } from '../../src/billing/engine/projection-wait-timeout.error';

interface CheckpointRow {
  name: string;
  commit_position: bigint;
  prepare_position: bigint;
}

/**
 * Reads checkpoints from the table, so waitFor works wherever the active projector
 * runs: in this instance or in another one.
 */
export class SqlProjectionStatus implements ProjectionStatus {
  constructor(
    private readonly db: SqlQueryable,
    private readonly names: readonly string[],
    private readonly activeHere: (name: string) => boolean = () => false,
    private readonly pollIntervalMs = 20,
  ) {}

  async waitFor(position: Position, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = await this.behind(position);
      if (behind.length === 0) return;
      if (Date.now() >= deadline)
        throw new ProjectionWaitTimeoutError(formatPosition(position), behind, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
    }
  }

  async states(): Promise<ProjectionState[]> {
    const rows = await this.checkpoints();
    const byName = new Map(rows.map((row) => [row.name, row]));
    return this.names.map((name) => {
      const row = byName.get(name);
      const checkpoint =
        row && row.commit_position >= 0n
          ? { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) }
          : null;
      return { name, checkpoint, activeHere: this.activeHere(name) };
    });
  }

  /** The projections whose checkpoint is not yet at or past `position`. */
  private async behind(position: Position): Promise<string[]> {
    const rows = await this.db.query<{ name: string }>(
      `SELECT name FROM projection_checkpoints
        WHERE name = ANY ($1::text[]) AND (commit_position, prepare_position) >= ($2::bigint, $3::bigint)`,
      [this.names, position.commit.toString(), position.prepare.toString()],
    );
    const done = new Set(rows.map((row) => row.name));
    return this.names.filter((name) => !done.has(name));
  }

  private checkpoints(): Promise<CheckpointRow[]> {
    return this.db.query<CheckpointRow>(
      'SELECT name, commit_position, prepare_position FROM projection_checkpoints WHERE name = ANY ($1::text[])',
      [this.names],
    );
  }
}
