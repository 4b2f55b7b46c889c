import { readdirSync } from 'node:fs';
import { Client } from 'pg';
import { readProcStat } from './proc-stat';

/** CPU seconds used so far by the workload's process and by the PostgreSQL server. */
export interface CpuReading {
  readonly clientSeconds: number;
  /** null when the server's processes cannot be read (another machine, another user). */
  readonly serverSeconds: number | null;
}

/** CPU spent over a timed span, in all and per unit counted (invoice, event). */
export interface CpuUse {
  readonly clientSeconds: number;
  readonly serverSeconds: number | null;
  readonly clientUsPerUnit: number;
  readonly serverUsPerUnit: number | null;
}

/**
 * Reads the CPU time of a client process (this one by default) and of the whole
 * PostgreSQL server it talks to, so a workload can say what each unit of work cost on
 * both sides: on a machine whose cores are all busy, a rate is bounded by CPU per unit,
 * whoever spends it.
 *
 * The server is the postmaster (the parent of this connection's backend) and every
 * process it has started: the live ones' own time, plus the postmaster's cutime/cstime,
 * into which the kernel adds each child it has waited for, so backends that exited
 * during the span still count. A child that exits between reading the postmaster and
 * reading its children is counted twice or not at all; the workloads' pools keep their
 * connections until the span ends, so that is rare.
 */
export class CpuMeter {
  private constructor(private readonly postmasterPid: number | null) {}

  static async open(connectionString: string): Promise<CpuMeter> {
    const client = new Client({ connectionString });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const backend = readProcStat(rows[0].pid);
      return new CpuMeter(backend?.ppid ?? null);
    } finally {
      await client.end();
    }
  }

  /** Synchronous, so that a reading is taken at the instant it is asked for. */
  read(clientPid = process.pid): CpuReading {
    return {
      clientSeconds: readProcStat(clientPid)?.cpuSeconds ?? NaN,
      serverSeconds: this.postmasterPid === null ? null : serverSeconds(this.postmasterPid),
    };
  }
}

function serverSeconds(postmasterPid: number): number | null {
  const postmaster = readProcStat(postmasterPid);
  if (!postmaster) return null;
  let seconds = postmaster.cpuSeconds + postmaster.reapedChildrenCpuSeconds;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat?.ppid === postmasterPid) seconds += stat.cpuSeconds;
  }
  return seconds;
}

export function cpuUse(from: CpuReading, to: CpuReading, units: number): CpuUse {
  const clientSeconds = to.clientSeconds - from.clientSeconds;
  const serverSeconds =
    from.serverSeconds === null || to.serverSeconds === null
      ? null
      : to.serverSeconds - from.serverSeconds;
  return {
    clientSeconds,
    serverSeconds,
    clientUsPerUnit: (clientSeconds / units) * 1e6,
    serverUsPerUnit: serverSeconds === null ? null : (serverSeconds / units) * 1e6,
  };
}
