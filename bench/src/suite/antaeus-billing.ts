import { cpuUse, CpuMeter, type CpuReading } from '../cpu/cpu-meter';
import { measurement, type Measurement } from '../measurement';
import { CONCURRENCY } from '../settings';
import { ANTAEUS_CLI, REPO_ROOT } from './paths';
import { NODE_FLAGS } from '../../../src/node-flags';
import { runNode } from './run-node';

// Variables the service reads: none may leak in from the caller's shell.
const SERVICE_VARIABLES = /^(DATABASE_|ESDB_|ANTAEUS_|BILLING_|SIMULATED_|PAYMENT_PROVIDER$|PORT$)/;

// The CLI lines the suites read.
export const STARTED = /^(Started|Joined) billing run \S+: (\d+) invoices to charge/;
export const FINISHED = /^Billing run \S+: (\S+) in ([\d.]+) s/m;
export const COUNTS = /this run:\s+(\d+) paid, (\d+) failed, (\d+) unknown, (\d+) still processing/;
export const RSS = /peak RSS (\d+) MB/;
export const PROVIDER_CALLS = /provider:\s+(\d+) calls in flight at most, ([\d.]+) on average/;

/** The caller's environment less every service variable, plus the database and the load. */
/**
 * What a `billing run`'s output says: its counts, and its time from the start line to the
 * summary line (`startedAt`, `finishedAt`: when they were seen). Throws unless the run
 * completed and settled exactly `invoices`.
 */
export function billingRunResult(
  stdout: string,
  startedAt: bigint | undefined,
  finishedAt: bigint | undefined,
  toCharge: number,
  invoices: number,
) {
  const finished = FINISHED.exec(stdout);
  const counts = COUNTS.exec(stdout);
  if (startedAt === undefined || finishedAt === undefined || !finished || !counts) {
    throw new Error(`unexpected output from the billing run:\n${stdout}`);
  }
  const [paid, failed, unknown, processing] = counts.slice(1).map(Number);
  const settled = paid + failed + unknown;
  if (finished[1] !== 'completed' || toCharge !== invoices || settled !== invoices) {
    throw new Error(`the billing run did not settle ${invoices} invoices:\n${stdout}`);
  }
  const seconds = Number(finishedAt - startedAt) / 1e9;
  return {
    paid,
    failed,
    unknown,
    processing,
    settled,
    seconds,
    cliReportedSeconds: Number(finished[2]),
    startedAt,
  };
}

export function serviceEnv(
  databaseUrl: string,
  latencyMs: number,
  concurrency: number = CONCURRENCY,
): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !SERVICE_VARIABLES.test(name)),
  );
  return {
    ...env,
    DATABASE_URL: databaseUrl,
    SIMULATED_LATENCY_MS: String(latencyMs),
    BILLING_CONCURRENCY: String(concurrency),
  };
}

/**
 * The operator's way: `cli seed` N pending invoices (not timed), then `cli billing run`,
 * timed from its "Started billing run" line to its summary line, so Nest's boot and
 * shutdown are left out. Wall time from spawn to exit is kept beside it.
 */
export async function antaeusBilling(
  databaseUrl: string,
  invoices: number,
  latencyMs: number,
): Promise<Measurement> {
  const env = serviceEnv(databaseUrl, latencyMs);
  const seed = await runNode(
    [ANTAEUS_CLI, 'seed', '--customers', String(invoices)].concat([
      '--invoices-per-customer',
      '1',
      '--paid-per-customer',
      '0',
    ]),
    { env, cwd: REPO_ROOT },
  );

  let startedAt: bigint | undefined;
  let finishedAt: bigint | undefined;
  let toCharge = 0;
  // CPU is read when each line arrives, over the same span as the time.
  const meter = await CpuMeter.open(databaseUrl);
  let pid = -1; // the CLI's, once spawned
  let cpuAtStart: CpuReading | undefined;
  let cpuAtEnd: CpuReading | undefined;
  const run = await runNode([...NODE_FLAGS, ANTAEUS_CLI, 'billing', 'run'], {
    env,
    cwd: REPO_ROOT,
    onSpawn: (child) => (pid = child),
    onLine: (line, at) => {
      const started = STARTED.exec(line);
      if (started) [startedAt, toCharge, cpuAtStart] = [at, Number(started[2]), meter.read(pid)];
      if (FINISHED.test(line)) [finishedAt, cpuAtEnd] = [at, meter.read(pid)];
    },
  });
  const { paid, failed, unknown, processing, settled, seconds, cliReportedSeconds } =
    billingRunResult(run.stdout, startedAt, finishedAt, toCharge, invoices);
  return measurement(
    settled,
    seconds,
    {
      paid,
      failed,
      unknown,
      processing,
      cliReportedSeconds,
      wallSeconds: run.wallSeconds,
      peakRssMb: Number(RSS.exec(run.stdout)?.[1] ?? NaN),
      seedWallSeconds: seed.wallSeconds,
    },
    cpuAtStart && cpuAtEnd && cpuUse(cpuAtStart, cpuAtEnd, settled),
  );
}
