import { Client } from 'pg';
import {
  billingRunResult,
  FINISHED,
  PROVIDER_CALLS,
  RSS,
  serviceEnv,
  STARTED,
} from '../suite/antaeus-billing';
import { ANTAEUS_CLI, REPO_ROOT } from '../suite/paths';
import { NODE_FLAGS } from '../../../src/node-flags';
import { cpuUse, CpuMeter, type CpuReading, type CpuUse } from '../cpu/cpu-meter';
import { machineBusyPercent, readMachineCpu, type MachineCpuReading } from '../cpu/machine-cpu';
import { runNode, type NodeRun } from '../suite/run-node';
import {
  cpuPercent,
  lagSummary,
  loadRange,
  progressPoints,
  rateWindows,
  type LagSummary,
  type ProgressPoint,
  type RateWindow,
} from './run-analysis';
import { LAG_SAMPLE_MS, RunObserver } from './run-observer';

const SEEDED = /^Seeded .* in ([\d.]+) s/m;
const HOUR_MS = 60 * 60_000;

export interface BillingAtScale {
  readonly seed: { readonly wallSeconds: number; readonly cliSeconds: number };
  readonly run: {
    readonly invoices: number;
    readonly paid: number;
    readonly failed: number;
    readonly unknown: number;
    readonly processing: number;
    /** From the "Started billing run" line to the summary line. */
    readonly seconds: number;
    readonly invoicesPerSecond: number;
    readonly cliReportedSeconds: number;
    /** Spawn to exit: adds Nest's boot, the seed backlog's projection, and shutdown. */
    readonly wallSeconds: number;
    /** The highest VmRSS/VmHWM of /proc/<pid>/status seen, MB. */
    readonly peakRssMb: number;
    /** The CLI's own figure (its samples every 0.5 s and its maxRSS at the end). */
    readonly cliPeakRssMb: number;
    /** The billing process's CPU time over the run, % of one core (sampled each second). */
    readonly cpuPercent: number | null;
    /** Lowest and highest 1-minute load average of the machine during the run. */
    readonly loadAverageRange: readonly number[];
    /** How busy all the machine's cores were during the run, % (others' work included). */
    readonly machineBusyPercent: number;
    /**
     * CPU time over the run (start line to summary line) of the billing process (client)
     * and of the whole PostgreSQL server (null off this machine; on a shared server it
     * includes others' databases), in all and per invoice settled.
     */
    readonly cpu: CpuUse | null;
    /** From spawn to the "Started billing run" line (boot, the seed backlog's projection). */
    readonly startedAfterSpawnSeconds: number;
    /** The in-process simulator's count: the most calls in its hands at once, and the mean. */
    readonly providerCallsInFlight: { readonly peak: number; readonly mean: number } | null;
  };
  readonly throughput: {
    readonly per10s: readonly RateWindow[];
    readonly series: readonly ProgressPoint[];
  };
  readonly lag: LagSummary;
}

export type Progress = (text: string) => void;

/** How the billing process runs, besides the defaults. */
export interface BillingAtScaleOptions {
  /** BILLING_CONCURRENCY (default: the suite's CONCURRENCY). */
  readonly concurrency?: number;
  /** Node flags added to NODE_FLAGS for `billing run` (a CPU profile, say). */
  readonly nodeFlags?: readonly string[];
}

/** `cli seed` N pending invoices (not timed), then `cli billing run`, watched from outside. */
export async function billAtScale(
  databaseUrl: string,
  invoices: number,
  latencyMs: number,
  progress: Progress,
  options: BillingAtScaleOptions = {},
): Promise<BillingAtScale> {
  const env = serviceEnv(databaseUrl, latencyMs, options.concurrency);
  progress(`seeding ${invoices.toLocaleString('en-US')} pending invoices (not timed)…\n`);
  const seed = await runNode(
    [...NODE_FLAGS, ANTAEUS_CLI, 'seed', '--customers', String(invoices)].concat([
      '--invoices-per-customer',
      '1',
      '--paid-per-customer',
      '0',
    ]),
    { env, cwd: REPO_ROOT, timeoutMs: HOUR_MS },
  );
  const seedSeconds = Number(SEEDED.exec(seed.stdout)?.[1] ?? NaN);
  progress(`seeded in ${seed.wallSeconds.toFixed(1)} s; billing…\n`);

  const clients = [0, 1].map(() => new Client({ connectionString: databaseUrl }));
  await Promise.all(clients.map((client) => client.connect()));
  try {
    const seedTimes = { wallSeconds: seed.wallSeconds, cliSeconds: seedSeconds };
    const meter = await CpuMeter.open(databaseUrl);
    return await watchBillingRun(
      clients,
      meter,
      env,
      invoices,
      progress,
      seedTimes,
      options.nodeFlags,
    );
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

async function watchBillingRun(
  [lagClient, progressClient]: readonly Client[],
  meter: CpuMeter,
  env: NodeJS.ProcessEnv,
  invoices: number,
  progress: Progress,
  seed: BillingAtScale['seed'],
  nodeFlags: readonly string[] = [],
): Promise<BillingAtScale> {
  let spawnedAt = process.hrtime.bigint();
  let startedAt: bigint | undefined;
  let finishedAt: bigint | undefined;
  let toCharge = 0;
  let nextReportAt = 10;
  let machineAtStart: MachineCpuReading | undefined;
  let machineAtEnd: MachineCpuReading | undefined;
  let pid = -1; // the billing process's, once spawned
  let cpuAtStart: CpuReading | undefined;
  let cpuAtEnd: CpuReading | undefined;
  const observer = new RunObserver(lagClient, progressClient, (sample, lagMs) => {
    if (startedAt === undefined) return;
    const t = Number(sample.at - startedAt) / 1e9;
    if (t < nextReportAt) return;
    nextReportAt += 10;
    progress(
      `  ${t.toFixed(0)} s: ${sample.settled.toLocaleString('en-US')} settled, ` +
        `${Math.round(sample.settled / t)}/s, lag ${Math.round(lagMs)} ms, RSS ${Math.round(sample.rssMb ?? NaN)} MB\n`,
    );
  });
  let run: NodeRun;
  try {
    run = await runNode([...NODE_FLAGS, ...nodeFlags, ANTAEUS_CLI, 'billing', 'run'], {
      env,
      cwd: REPO_ROOT,
      timeoutMs: HOUR_MS,
      onSpawn: (child) => {
        spawnedAt = process.hrtime.bigint();
        pid = child;
        observer.start(child);
      },
      onLine: (line, at) => {
        const started = STARTED.exec(line);
        if (started) {
          [startedAt, toCharge] = [at, Number(started[2])];
          [machineAtStart, cpuAtStart] = [readMachineCpu(), meter.read(pid)];
        }
        if (FINISHED.test(line))
          [finishedAt, machineAtEnd, cpuAtEnd] = [at, readMachineCpu(), meter.read(pid)];
      },
    });
  } finally {
    await observer.stop();
  }
  const result = billingRunResult(run.stdout, startedAt, finishedAt, toCharge, invoices);
  const { paid, failed, unknown, processing, settled, seconds, cliReportedSeconds } = result;
  const series = progressPoints(observer.progressSamples, result.startedAt, seconds, settled);
  const calls = PROVIDER_CALLS.exec(run.stdout);
  return {
    seed,
    run: {
      invoices,
      paid,
      failed,
      unknown,
      processing,
      seconds,
      invoicesPerSecond: settled / seconds,
      cliReportedSeconds,
      wallSeconds: run.wallSeconds,
      peakRssMb: Math.round(observer.peakRssMb),
      cliPeakRssMb: Number(RSS.exec(run.stdout)?.[1] ?? NaN),
      cpuPercent: cpuPercent(series),
      loadAverageRange: loadRange(series),
      machineBusyPercent:
        machineAtStart && machineAtEnd ? machineBusyPercent(machineAtStart, machineAtEnd) : NaN,
      cpu: cpuAtStart && cpuAtEnd ? cpuUse(cpuAtStart, cpuAtEnd, settled) : null,
      startedAfterSpawnSeconds: Number(result.startedAt - spawnedAt) / 1e9,
      providerCallsInFlight: calls ? { peak: Number(calls[1]), mean: Number(calls[2]) } : null,
    },
    throughput: { per10s: rateWindows(series, 10), series },
    lag: lagSummary(observer.lagSamples, spawnedAt, result.startedAt, seconds, LAG_SAMPLE_MS),
  };
}
