import { appendFileSync, writeFileSync } from 'node:fs';
import type { FaultKind } from './fault-script';

/**
 * One line of the simulator's fault log (`--fault-log`): what its scripted outages did and
 * when, so a chaos run can tell which ambiguous answers an outage gave (chaos/unknown-causes.ts).
 * `outage` is 1-based, in script order; `at` is ISO 8601.
 */
export type FaultLogEntry =
  /** A window of the outage opened (the first one: the outage began). */
  | {
      readonly type: 'window';
      readonly outage: number;
      readonly kind: FaultKind;
      readonly at: string;
    }
  /** The outage's last window closed. */
  | { readonly type: 'outage-ended'; readonly outage: number; readonly at: string }
  /** A charge request answered by the window instead of being processed. */
  | {
      readonly type: 'faulted';
      readonly outage: number;
      readonly kind: Exclude<FaultKind, 'refused'>;
      readonly idempotencyKey: string;
      readonly at: string;
    };

/**
 * The fault log as a JSON-lines file, one synchronous append per line. Not fsynced: it is
 * evidence for the run's report, read after the simulator stopped, not a ledger of money.
 */
export class FaultLogFile {
  constructor(readonly path: string) {
    // Fails at start, not at the first outage, when the path cannot be written.
    writeFileSync(path, '', { flag: 'a' });
  }

  append(entry: FaultLogEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
  }
}
