/**
 * npm run bench: Antaeus side by side with the job queues and the event store a user
 * would pick instead, on the same PostgreSQL, in interleaved rounds (A/B/A/B), each
 * workload in a database of its own. Progress on stderr; the table on stdout; every raw
 * figure in bench/results/latest.json (and, with --json, as the last line of stdout).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import {
  CONCURRENCY,
  GRAPHILE_WORKER_TUNING,
  LATENCIES_MS,
  PG_BOSS_TUNING,
  SIMULATOR_SEED,
} from './settings';
import { findPgbench } from './ceiling/commit-ceiling';
import { machineInfo } from './suite/machine-info';
import { parseSuiteOptions, type SuiteOptions } from './suite/options';
import { assertBuilt, RESULTS_FILE } from './suite/paths';
import { withScratchDatabase } from './suite/scratch-database';
import { formatTable, ratios, summarise, targets, type RoundResult } from './suite/summary';
import { WORKLOADS, type Workload } from './suite/workloads';

const progress = (text: string): boolean => process.stderr.write(text);

async function runRounds(
  workloads: readonly Workload[],
  options: SuiteOptions,
): Promise<Map<string, RoundResult[]>> {
  const results = new Map<string, RoundResult[]>(workloads.map((w) => [w.id, []]));
  for (let round = 1; round <= options.rounds; round++) {
    for (const workload of workloads) {
      progress(`[round ${round}/${options.rounds}] ${workload.label}… `);
      const startedAt = new Date().toISOString();
      const loadAverage = loadavg()[0];
      const measurement = await withScratchDatabase((url) => workload.run(url, options));
      results.get(workload.id)?.push({ round, startedAt, loadAverage, measurement });
      progress(`${Math.round(measurement.rate).toLocaleString('en-US')} ${workload.unit}\n`);
    }
  }
  return results;
}

function settings(options: SuiteOptions): Record<string, unknown> {
  return {
    invoices: options.invoices,
    rounds: options.rounds,
    seconds: options.seconds,
    groups: options.only,
    concurrency: CONCURRENCY,
    latenciesMs: LATENCIES_MS,
    simulatorSeed: SIMULATOR_SEED,
    antaeus: {
      env: { BILLING_CONCURRENCY: CONCURRENCY, SIMULATED_LATENCY_MS: LATENCIES_MS },
      timing:
        'from the CLI\'s "Started billing run" line to its summary line (Nest boot and shutdown excluded)',
    },
    graphileWorker: { ...GRAPHILE_WORKER_TUNING, maxAttempts: 1 },
    pgBoss: { ...PG_BOSS_TUNING, retryLimit: 0, notifyWorkerAfterBatch: true },
    jobTiming: 'from worker start until every job is recorded completed or failed',
    appends: { appenders: CONCURRENCY, poolSize: CONCURRENCY + 4 },
    ceiling: findPgbench()
      ? 'pgbench, one INSERT per transaction'
      : 'node-pg pool, one INSERT per query',
  };
}

async function main(): Promise<void> {
  const options = parseSuiteOptions(process.argv.slice(2));
  assertBuilt();
  const workloads = WORKLOADS.filter((w) => options.only.includes(w.group));
  const machine = await machineInfo();
  progress(
    `${machine.cpus} cpus, ${machine.memoryGiB} GiB, node ${machine.node}, PostgreSQL ${machine.postgres.settings.server_version}; load ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  const startedAt = new Date().toISOString();
  const results = await runRounds(workloads, options);
  const summaries = workloads.map((w) => summarise(w, results.get(w.id) ?? []));
  const ratioValues = ratios(summaries);
  const goals = targets(ratioValues);
  const report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: loadavg() },
    settings: settings(options),
    workloads: summaries,
    ratios: ratioValues,
    targets: goals,
  };
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${formatTable(summaries, ratioValues, goals)}\n\nraw figures: ${RESULTS_FILE}`);
  if (options.json) console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
