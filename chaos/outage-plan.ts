import {
  FAULT_KINDS,
  type FaultWindow,
  type ScriptedOutage,
} from '../src/provider-sim/fault-script';
import { keyedUniform } from '../src/shared/keyed-random';

export interface OutagePlanInput {
  readonly seed: number;
  readonly outages: number;
  readonly invoices: number;
}

/** Outages start between these fractions of the invoices' charge requests. */
export const OUTAGE_WINDOW = { from: 0.1, to: 0.7 } as const;
/** Each outage is one to three windows, each of this many ms. */
export const OUTAGE_WINDOW_MS = { from: 1_000, to: 4_000 } as const;

/**
 * The seeded provider outages of a chaos run: at a point of the run, one to three windows
 * of refused connections, 500s, 503s or 429s back to back. Draws are keyed by what they
 * are for (`outage-2-window-1`), so adding an outage does not move the others.
 */
export function outagePlan({ seed, outages, invoices }: OutagePlanInput): ScriptedOutage[] {
  const between = (range: { from: number; to: number }, u: number) =>
    range.from + u * (range.to - range.from);
  return Array.from({ length: outages }, (_, i): ScriptedOutage => {
    const key = `outage-${i + 1}`;
    const count = Math.floor(between({ from: 1, to: 4 }, keyedUniform(seed, key, 1)));
    const windows = Array.from({ length: count }, (_, w): FaultWindow => {
      const windowKey = `${key}-window-${w + 1}`;
      return {
        kind: FAULT_KINDS[Math.floor(keyedUniform(seed, windowKey, 0) * FAULT_KINDS.length)],
        ms: Math.round(between(OUTAGE_WINDOW_MS, keyedUniform(seed, windowKey, 1))),
      };
    });
    const at = between(OUTAGE_WINDOW, keyedUniform(seed, key, 0));
    return { afterRequests: Math.max(1, Math.floor(at * invoices)), windows };
  }).sort((a, b) => a.afterRequests - b.afterRequests);
}
