import { readFile } from 'node:fs/promises';
import { parseProcStat } from '../cpu/proc-stat';

export interface ProcessUsage {
  /** Resident set size now, MB. */
  readonly rssMb: number;
  /** The process's peak resident set size so far (VmHWM), MB. */
  readonly peakMb: number;
  /** User + system CPU time so far, seconds. */
  readonly cpuSeconds: number;
}

const field = (status: string, name: string): number =>
  Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;

/**
 * From /proc/<pid>/status and /stat (Linux); null once the process is gone or off Linux.
 * Also null for a process that has exited but not yet been reaped: its status has no
 * memory lines, and a NaN taken for its RSS would poison the peak.
 */
export async function processUsage(pid: number): Promise<ProcessUsage | null> {
  try {
    const [status, stat] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    const rssMb = field(status, 'VmRSS');
    const peakMb = field(status, 'VmHWM');
    if (Number.isNaN(rssMb) || Number.isNaN(peakMb)) return null;
    return { rssMb, peakMb, cpuSeconds: parseProcStat(stat).cpuSeconds };
  } catch {
    return null;
  }
}
