import { readFileSync } from 'node:fs';

/** The machine's CPU time so far, all cores together, in clock ticks (Linux /proc/stat). */
export interface MachineCpuReading {
  readonly busy: number;
  readonly total: number;
}

export function readMachineCpu(): MachineCpuReading {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  // cpu user nice system idle iowait irq softirq steal ...
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  return { busy: total - ticks[3] - ticks[4], total };
}

/** How busy every core was between two readings, % (100: no core ever idle). */
export function machineBusyPercent(from: MachineCpuReading, to: MachineCpuReading): number {
  const total = to.total - from.total;
  return total > 0 ? Math.round((100 * (to.busy - from.busy)) / total) : NaN;
}
