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

/** From /proc/<pid>/status and /stat (Linux); null once the process is gone or off Linux. */
export async function processUsage(pid: number): Promise<ProcessUsage | null> {
  try {
    const [status, stat] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    return {
      rssMb: field(status, 'VmRSS'),
      peakMb: field(status, 'VmHWM'),
      cpuSeconds: parseProcStat(stat).cpuSeconds,
    };
  } catch {
    return null;
  }
}
