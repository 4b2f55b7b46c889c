import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

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

/** utime + stime: fields 14 and 15 of /proc/<pid>/stat, counted after the ")" of the name. */
function cpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

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
      cpuSeconds: cpuSeconds(stat),
    };
  } catch {
    return null;
  }
}
