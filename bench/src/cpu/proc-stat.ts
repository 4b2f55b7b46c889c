import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** What /proc/<pid>/stat says of a process's parent and CPU time (Linux). */
export interface ProcStat {
  readonly ppid: number;
  /** utime + stime, seconds. */
  readonly cpuSeconds: number;
  /** cutime + cstime: the children it has waited for, seconds. */
  readonly reapedChildrenCpuSeconds: number;
}

/** Fields after the ")" that ends the process name, which may itself hold spaces. */
export function parseProcStat(stat: string): ProcStat {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (index: number): number => Number(fields[index]) / clockTicks();
  return {
    ppid: Number(fields[1]),
    cpuSeconds: ticks(11) + ticks(12),
    reapedChildrenCpuSeconds: ticks(13) + ticks(14),
  };
}

/**
 * /proc/<pid>/stat, read synchronously so that a reading is taken at the instant asked;
 * null once the process is gone, or off Linux.
 */
export function readProcStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}
