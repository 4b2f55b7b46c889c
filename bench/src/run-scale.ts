/**
 * npm run bench:scale: the scale figures of docs/benchmarks.md. In a scratch database:
 * seed N pending invoices, time `cli billing run` while sampling its progress, RSS and
 * projection lag from outside; then start the service on the billed database and load
 * the first and a deep page of PAID invoices with autocannon at a fixed rate. Progress on
 * stderr; the summary on stdout; every figure and series in
 * bench/results/scale-latest.json (and, with --json, as the last line of stdout).
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { CONCURRENCY, SIMULATOR_SEED } from './settings';
import { billAtScale } from './scale/billing-at-scale';
import { REST_CONNECTIONS } from './scale/rest-latency';
import { PAGE_SIZE, restUnderLoad, WARMUP_SECONDS } from './scale/rest-under-load';
import { LAG_SAMPLE_MS, PROGRESS_SAMPLE_MS } from './scale/run-observer';
import { parseScaleOptions, type ScaleOptions } from './scale/scale-options';
import { formatScaleSummary } from './scale/scale-summary';
import { GOALS, scaleTargets } from './scale/scale-targets';
import { machineInfo } from './suite/machine-info';
import { assertBuilt, REPO_ROOT, SCALE_RESULTS_FILE } from './suite/paths';
import { withScratchDatabase } from './suite/scratch-database';

const progress = (text: string): boolean => process.stderr.write(text);

function settings(options: ScaleOptions): Record<string, unknown> {
  const autocannon = join(REPO_ROOT, 'bench', 'node_modules', 'autocannon', 'package.json');
  return {
    ...options,
    billing: {
      env: { BILLING_CONCURRENCY: CONCURRENCY, SIMULATED_LATENCY_MS: options.latencyMs },
      simulatorSeed: SIMULATOR_SEED,
      timing:
        'from the CLI\'s "Started billing run" line to its summary line (Nest boot, the seed backlog\'s projection and shutdown excluded; wallSeconds has them)',
      progressSampleMs: PROGRESS_SAMPLE_MS,
      settledFrom: 'sum(paid + failed + unknown) of the billing_run_counts read model',
      lagSampleMs: LAG_SAMPLE_MS,
      lag: 'per projection: 0 when no committed event lies past its checkpoint, else now - created_at of the newest event at or before it; the run figure is the largest over the projections (the slowest checkpoint)',
    },
    rest: {
      autocannon: (JSON.parse(readFileSync(autocannon, 'utf8')) as { version: string }).version,
      connections: REST_CONNECTIONS,
      overallRate: options.restRate,
      warmupSeconds: WARMUP_SECONDS,
      pageSize: PAGE_SIZE,
      deepPage: 'the last full page, floor(paid / size) - 1',
      latency:
        "each 2xx response's time from autocannon's response events; coordinated-omission correction off",
    },
    goals: GOALS,
  };
}

async function main(): Promise<void> {
  const options = parseScaleOptions(process.argv.slice(2));
  assertBuilt();
  const machine = await machineInfo();
  const loadAverages: Record<string, number[]> = { start: loadavg() };
  progress(
    `${machine.cpus} cpus, ${machine.memoryGiB} GiB, node ${machine.node}, PostgreSQL ${machine.postgres.settings.server_version}; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  const startedAt = new Date().toISOString();
  const { billing, rest } = await withScratchDatabase(async (url) => {
    const billing = await billAtScale(url, options.invoices, options.latencyMs, progress);
    loadAverages.afterBilling = loadavg();
    progress(`billed in ${billing.run.seconds.toFixed(1)} s; REST under load…\n`);
    const rest = await restUnderLoad(
      url,
      options.latencyMs,
      options.restRate,
      options.restSeconds,
      progress,
    );
    return { billing, rest };
  });
  loadAverages.end = loadavg();
  const targets = scaleTargets(billing, rest);
  const report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...machine, loadAverages },
    settings: settings(options),
    billing,
    rest,
    targets,
  };
  mkdirSync(dirname(SCALE_RESULTS_FILE), { recursive: true });
  writeFileSync(SCALE_RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `\n${formatScaleSummary(billing, rest, targets, loadAverages)}\n\nall figures: ${SCALE_RESULTS_FILE}`,
  );
  if (options.json) console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
