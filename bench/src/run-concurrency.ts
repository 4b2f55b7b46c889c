/**
 * npm run bench:concurrency: does BILLING_CONCURRENCY buy what it promises? For each
 * concurrency asked for, in a scratch database: seed N pending invoices, then time
 * `cli billing run` with the simulated provider at a fixed latency (the scale
 * benchmark's measurement, billing only), and read from the CLI the calls the simulator
 * held at once. The ideal is concurrency ÷ latency invoices/s. With --cpu-prof each
 * billing process is profiled and the run's part of the profile summarised. Progress on
 * stderr; the summary on stdout; every figure in bench/results/concurrency-latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { billAtScale, type BillingAtScale } from './scale/billing-at-scale';
import {
  parseConcurrencyOptions,
  type ConcurrencyOptions,
} from './concurrency/concurrency-options';
import { profileIn, summariseCpuProfile, type CpuProfileSummary } from './cpu/cpu-profile-summary';
import { machineInfo } from './suite/machine-info';
import { assertBuilt, REPO_ROOT } from './suite/paths';
import { withScratchDatabase } from './suite/scratch-database';

const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
const RESULTS_FILE = join(RESULTS_DIR, 'concurrency-latest.json');
/** All cores at least this busy over a run: it was bounded by CPU, whoever spent it. */
const SATURATED_PERCENT = 90;

const progress = (text: string): boolean => process.stderr.write(text);
const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const loads = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface ConcurrencyRun {
  readonly concurrency: number;
  /** concurrency ÷ latency: every slot always at the provider. */
  readonly idealPerSecond: number;
  readonly loadAverage: { readonly start: string; readonly end: string };
  readonly billing: BillingAtScale;
  readonly profile: CpuProfileSummary | null;
}

async function runOne(options: ConcurrencyOptions, concurrency: number): Promise<ConcurrencyRun> {
  const start = loads();
  progress(`\nBILLING_CONCURRENCY=${concurrency}; load ${start}\n`);
  const profileDir = join(RESULTS_DIR, 'cpu-prof', `c${concurrency}-${Date.now()}`);
  if (options.cpuProf) mkdirSync(profileDir, { recursive: true });
  const billing = await withScratchDatabase((url) =>
    billAtScale(url, options.invoices, options.latencyMs, progress, {
      concurrency,
      nodeFlags: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    }),
  );
  const { startedAfterSpawnSeconds: from, seconds } = billing.run;
  return {
    concurrency,
    idealPerSecond: (concurrency * 1000) / options.latencyMs,
    loadAverage: { start, end: loads() },
    billing,
    profile: options.cpuProf
      ? summariseCpuProfile(
          profileIn(profileDir),
          { fromSeconds: from, toSeconds: from + seconds },
          REPO_ROOT,
        )
      : null,
  };
}

function summary(options: ConcurrencyOptions, runs: readonly ConcurrencyRun[]): string {
  const lines = [
    `${int(options.invoices)} invoices per run, simulated provider at ${options.latencyMs} ms`,
    '',
    'concurrency | ideal/s | invoices/s | of ideal | in flight: peak, mean | peak RSS | cores busy: billing, PostgreSQL, machine | CPU per invoice: billing, PostgreSQL | lag p99 | load start / end',
  ];
  for (const { concurrency, idealPerSecond, billing, loadAverage } of runs) {
    const { run, lag } = billing;
    const calls = run.providerCallsInFlight;
    lines.push(
      [
        int(concurrency),
        int(idealPerSecond),
        int(run.invoicesPerSecond),
        (run.invoicesPerSecond / idealPerSecond).toFixed(2),
        calls ? `${int(calls.peak)}, ${int(calls.mean)}` : '–',
        `${run.peakRssMb} MB`,
        coresBusy(billing),
        cpuPerInvoice(billing),
        `${lag.lagMs?.p99.toFixed(0) ?? '–'} ms`,
        `${loadAverage.start} / ${loadAverage.end}`,
      ].join(' | '),
    );
  }
  lines.push('');
  for (const run of runs) lines.push(verdict(run, options.latencyMs));
  for (const { concurrency, profile } of runs) {
    if (!profile) continue;
    lines.push('', `CPU profile, BILLING_CONCURRENCY=${concurrency} (${profile.file}):`);
    lines.push(`  by area (of ${int(profile.sampledMs)} ms sampled during the run):`);
    for (const share of profile.byArea.slice(0, 12)) {
      lines.push(`    ${share.percent.toFixed(1).padStart(5)}%  ${share.name}`);
    }
    lines.push('  top functions by self time:');
    for (const share of profile.topFunctions) {
      lines.push(`    ${share.percent.toFixed(1).padStart(5)}%  ${share.name}`);
    }
  }
  return lines.join('\n');
}

const cores = availableParallelism();
const microseconds = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `${int(value)} µs`;

/** Each side's CPU over the run in cores (1.00: one core all the time), and the machine's %. */
function coresBusy({ run }: BillingAtScale): string {
  const of = (seconds: number | null | undefined): string =>
    seconds === null || seconds === undefined ? '–' : (seconds / run.seconds).toFixed(2);
  return `${of(run.cpu?.clientSeconds)}, ${of(run.cpu?.serverSeconds)} of ${cores}; ${run.machineBusyPercent}%`;
}

function cpuPerInvoice({ run }: BillingAtScale): string {
  return `${microseconds(run.cpu?.clientUsPerUnit)}, ${microseconds(run.cpu?.serverUsPerUnit)}`;
}

/**
 * Whether the cores were saturated, and the rate the machine's cores could give at the
 * CPU each invoice cost (billing process and PostgreSQL together, nothing else running):
 * with every core busy, that ceiling, not the concurrency, bounds the rate, and the mean
 * in flight is the rate times the latency (Little's law).
 */
function verdict(
  { concurrency, idealPerSecond, billing }: ConcurrencyRun,
  latencyMs: number,
): string {
  const { run } = billing;
  const saturated = run.machineBusyPercent >= SATURATED_PERCENT;
  const perInvoiceUs = (run.cpu?.clientUsPerUnit ?? NaN) + (run.cpu?.serverUsPerUnit ?? NaN);
  const ceiling = Number.isNaN(perInvoiceUs)
    ? 'unknown (PostgreSQL not readable here)'
    : `${int((cores * 1e6) / perInvoiceUs)}/s at ${int(perInvoiceUs)} µs per invoice`;
  const little = int((run.invoicesPerSecond * latencyMs) / 1000);
  return (
    `BILLING_CONCURRENCY=${int(concurrency)}: cores ${saturated ? 'SATURATED' : 'not saturated'} ` +
    `(${run.machineBusyPercent}% busy, others' work included); CPU ceiling of ${cores} cores ${ceiling} ` +
    `(ideal ${int(idealPerSecond)}/s); rate × latency = ${little} in flight on average`
  );
}

async function main(): Promise<void> {
  const options = parseConcurrencyOptions(process.argv.slice(2));
  assertBuilt();
  const machine = await machineInfo();
  const startedAt = new Date().toISOString();
  const runs: ConcurrencyRun[] = [];
  for (const concurrency of options.concurrencies) runs.push(await runOne(options, concurrency));
  const report = { startedAt, finishedAt: new Date().toISOString(), machine, options, runs };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${summary(options, runs)}\n\nall figures: ${RESULTS_FILE}`);
  if (options.json) console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
