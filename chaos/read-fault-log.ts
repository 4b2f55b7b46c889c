import { existsSync } from 'node:fs';
import type { FaultLogEntry } from '../src/provider-sim/fault-log';
import { readJsonLines } from '../src/shared/read-json-lines';
import type { FaultKind } from '../src/provider-sim/fault-script';

/** One window of a played outage, epoch milliseconds; `to` Infinity if it never closed. */
export interface PlayedWindow {
  readonly kind: FaultKind;
  readonly from: number;
  readonly to: number;
}

/** An outage as the simulator played it: its windows back to back. */
export interface PlayedOutage {
  /** 1-based, in script order. */
  readonly outage: number;
  readonly windows: readonly PlayedWindow[];
}

/** A charge request a window answered instead of processing it. */
export interface FaultedRequest {
  readonly outage: number;
  readonly kind: Exclude<FaultKind, 'refused'>;
  readonly at: number;
}

export interface FaultLog {
  readonly outages: readonly PlayedOutage[];
  /** By idempotency key, the last answer a window gave it. */
  readonly faulted: ReadonlyMap<string, FaultedRequest>;
}

export const NO_FAULTS: FaultLog = { outages: [], faulted: new Map() };

/**
 * The simulator's fault log (src/provider-sim/fault-log.ts) as outages and faulted
 * requests. No file (the in-process simulator, or no outage) is no fault; a malformed line
 * throws: a report built on half a log would explain UNKNOWN wrongly.
 */
export function readFaultLog(path: string | null): FaultLog {
  if (path === null || !existsSync(path)) return NO_FAULTS;
  return faultLogOf(readJsonLines<FaultLogEntry>(path, 'a fault log entry', isFaultLogEntry));
}

/** Pure: the entries in the order written. */
export function faultLogOf(entries: readonly FaultLogEntry[]): FaultLog {
  const windows = new Map<number, { kind: FaultKind; from: number }[]>();
  const ends = new Map<number, number>();
  const faulted = new Map<string, FaultedRequest>();
  for (const entry of entries) {
    const at = Date.parse(entry.at);
    if (entry.type === 'window') {
      windows.set(entry.outage, [
        ...(windows.get(entry.outage) ?? []),
        { kind: entry.kind, from: at },
      ]);
    } else if (entry.type === 'outage-ended') {
      ends.set(entry.outage, at);
    } else {
      faulted.set(entry.idempotencyKey, { outage: entry.outage, kind: entry.kind, at });
    }
  }
  const outages = [...windows].map(([outage, opened]): PlayedOutage => ({
    outage,
    windows: opened.map((window, i) => ({
      ...window,
      to: opened[i + 1]?.from ?? ends.get(outage) ?? Infinity,
    })),
  }));
  return { outages, faulted };
}

function isFaultLogEntry(entry: Partial<FaultLogEntry>): boolean {
  return (
    typeof entry.type === 'string' &&
    ['window', 'outage-ended', 'faulted'].includes(entry.type) &&
    typeof entry.outage === 'number' &&
    typeof entry.at === 'string' &&
    !Number.isNaN(Date.parse(entry.at))
  );
}
