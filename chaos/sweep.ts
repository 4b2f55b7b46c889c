import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RunNumbers, SweepResult } from './sweep-summary';
import { formatSweepSummary, summarizeSweep } from './sweep-summary';
import { UNKNOWN_CAUSES } from './unknown-causes';
import {
  chaosArgs,
  parseSweepArgs,
  sweepRuns,
  type SweepOptions,
  type SweepRun,
} from './sweep-options';

const STDERR_LINES_KEPT = 60;

/** The run in progress, which hears of a SIGINT/SIGTERM sent to the sweep alone. */
let current: ChildProcess | null = null;

/**
 * npm run chaos:sweep -- [options] (see --help): the chaos runner once per seed and
 * mode, one run at a time, then a summary. Exit 0 all ok, 1 any run not ok, 2 bad arguments.
 */
async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseSweepArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`chaos:sweep: ${parsed.message}\nRun with --help to see the options.`);
    return 2;
  }
  const options = parsed.options;
  const runs = sweepRuns(options);
  const results: SweepResult[] = [];
  const startedAt = Date.now();
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // The current run cleans up on the signal (it is forwarded, in case it was sent to
    // the sweep alone); then the sweep stops and sums up what it has.
    process.once(signal, () => {
      interrupted = true;
      current?.kill(signal);
    });
  }
  for (const [index, run] of runs.entries()) {
    if (interrupted) break;
    const result = await runOnce(options, run);
    results.push(result);
    const verdict =
      result.report?.ok && result.exitCode === 0 ? 'ok' : `NOT OK: ${result.why[0] ?? ''}`;
    process.stderr.write(
      `[sweep ${index + 1}/${runs.length}] ${describe(run)}: ${verdict.split('\n')[0]}${numbers(result.report)}\n`,
    );
  }
  const summary = summarizeSweep(results);
  const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
  console.log(formatSweepSummary(summary, (failure) => reproduce(options, failure)));
  console.log(`${results.length} runs in ${minutes} min${interrupted ? ' (interrupted)' : ''}`);
  if (options.json) {
    const failures = summary.failures.map((failure) => ({
      ...failure,
      command: reproduce(options, failure),
    }));
    console.log(JSON.stringify({ ...summary, failures, interrupted }));
  }
  return summary.allOk && !interrupted ? 0 : 1;
}

/** A run's figures for the progress line, so a sweep's log has every run's, not only the sums. */
function numbers(report: RunNumbers | null): string {
  if (!report) return '';
  const causes = UNKNOWN_CAUSES.filter((cause) => report.unknownByCause[cause] > 0).map(
    (cause) => `${cause} ${report.unknownByCause[cause]}`,
  );
  const byCause = causes.length > 0 ? ` (${causes.join(', ')})` : '';
  const kills =
    report.kills > 0
      ? `, UNKNOWN per kill ${report.unknownPerKill.join('+')} of in flight ${report.inFlightAtKills.join('+')}`
      : '';
  const outages = report.unknownPerOutage
    .map(
      (o) => `, outage #${o.outage} UNKNOWN ${o.unknown} of bound ${o.inFlightAtStart}+${o.probes}`,
    )
    .join('');
  return ` (${report.durationS} s: UNKNOWN ${report.unknown}${byCause}, FAILED (NETWORK) ${report.failedNetwork}${kills}${outages})`;
}

function describe(run: SweepRun): string {
  return `seed ${run.seed} ${run.mode}${run.pgRestart ? ' with pg restart' : ''}`;
}

function reproduce(options: SweepOptions, run: SweepRun): string {
  return `npm run chaos -- ${chaosArgs(options, run).join(' ')}`;
}

/** One run of dist/chaos/chaos.js --json as a child; its last stdout line is the report. */
function runOnce(options: SweepOptions, run: SweepRun): Promise<SweepResult> {
  const child = (current = spawn(
    process.execPath,
    ['--enable-source-maps', join(__dirname, 'chaos.js'), ...chaosArgs(options, run), '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  ));
  let stdout = '';
  const stderr: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    if (options.verbose) process.stderr.write(chunk);
    stderr.push(...chunk.toString('utf8').split('\n'));
    stderr.splice(0, Math.max(0, stderr.length - STDERR_LINES_KEPT));
  });
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      current = null;
      const exitCode = code ?? (signal ? 128 : -1);
      const report = lastJsonLine(stdout);
      if (report === null) {
        const why = `the runner exited ${signal ?? code} without a report:\n${stderr.join('\n')}`;
        resolve({ run, exitCode, report: null, why: [why] });
        return;
      }
      resolve({ run, exitCode, report, why: report.problems });
    });
  });
}

function lastJsonLine(stdout: string): (RunNumbers & { problems: string[] }) | null {
  const last = stdout.trimEnd().split('\n').pop() ?? '';
  try {
    const value = JSON.parse(last) as RunNumbers & { problems: string[] };
    return typeof value === 'object' && value !== null && typeof value.ok === 'boolean'
      ? value
      : null;
  } catch {
    return null;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('chaos:sweep: unexpected failure', error);
    process.exit(1);
  },
);
