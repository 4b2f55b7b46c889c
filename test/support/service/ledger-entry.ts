import type { LedgerFileEntry } from '../../../src/payments/simulated/charge-ledger-file';

/**
 * One line of a simulator's ledger file. The in-process simulator names the process
 * that delivered the request (`pid`); the HTTP provider simulator also names the
 * calling instance (`client`), since its `pid` is its own.
 */
export type LedgerEntry = LedgerFileEntry & { readonly client?: string };

/** An instance and every pid it has had: who made a delivery the ledger names by pid. */
export interface Deliverer {
  readonly instanceId: string;
  readonly pids: readonly number[];
}

/** The instance that delivered `entry`: its `client`, else the owner of its pid. */
export function delivererOf(
  entry: LedgerEntry,
  instanceOfPid: ReadonlyMap<number, string>,
): string | undefined {
  return entry.client ?? instanceOfPid.get(entry.pid);
}

export function instancesByPid(deliverers: readonly Deliverer[]): Map<number, string> {
  const byPid = new Map<number, string>();
  for (const { instanceId, pids } of deliverers) {
    for (const pid of pids) byPid.set(pid, instanceId);
  }
  return byPid;
}
