import { LockSession } from '../../src/database/lock-session';
import type { SqlDatabase } from '../../src/database/sql-database';
import { projectionLeaseKey, rebuildIntentKey } from '../projector/lease-keys';

export interface HoldLeasesOptions {
  /** How long to wait for the active projectors to yield. */
  readonly timeoutMs?: number;
  readonly retryMs?: number;
}

/**
 * Takes the leases of `names` away from their projectors, wherever they run: first the
 * rebuild intent (the active projector sees it and yields; standbys stop trying), then
 * the lease itself. Returns the session holding them; closing it gives them back.
 */
export async function holdLeases(
  db: SqlDatabase,
  names: readonly string[],
  options: HoldLeasesOptions = {},
): Promise<LockSession> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const locks = await LockSession.open(db);
  try {
    for (const key of [...names.map(rebuildIntentKey), ...names.map(projectionLeaseKey)]) {
      while (!(await locks.tryLock(key))) {
        if (Date.now() > deadline) {
          throw new Error(
            `lease ${key} was not released within ${timeoutMs} ms: its projector did not yield (is another rebuild running?)`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 50));
      }
    }
    return locks;
  } catch (error) {
    await locks.close();
    throw error;
  }
}
