import type { CpuUse } from './cpu/cpu-meter';

/** One workload's figure in one round, with the raw numbers behind it. */
export interface Measurement {
  /** The figure reported: invoices/s, events/s or commits/s. */
  readonly rate: number;
  /** Invoices, events or commits counted. */
  readonly count: number;
  /** The timed span, in seconds. */
  readonly seconds: number;
  readonly details: Readonly<Record<string, unknown>>;
  /** CPU over the timed span, the workload's process and the server's; absent where not measured. */
  readonly cpu?: CpuUse;
}

export function measurement(
  count: number,
  seconds: number,
  details: Readonly<Record<string, unknown>> = {},
  cpu?: CpuUse,
): Measurement {
  return { rate: count / seconds, count, seconds, details, ...(cpu && { cpu }) };
}

/** Seconds since `start` (a process.hrtime.bigint() reading). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
