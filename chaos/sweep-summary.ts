import type { ProviderMode } from './chaos-options';
import type { ChaosReport } from './chaos-report';
import type { SweepRun } from './sweep-options';
import { UNKNOWN_CAUSES, type UnknownCause } from './unknown-causes';

/** The part of a run's JSON report the sweep sums up. */
export type RunNumbers = Pick<
  ChaosReport,
  | 'ok'
  | 'doubleCharges'
  | 'lostInvoices'
  | 'unknown'
  | 'failedNetwork'
  | 'outages'
  | 'auditOk'
  | 'pgRestarts'
  | 'durationS'
  | 'kills'
  | 'inFlightAtKills'
  | 'unknownByCause'
  | 'unknownPerKill'
  | 'unknownPerOutage'
  | 'unknownBoundsBroken'
>;

/** One finished run: its report, or why there is none (the runner crashed, bad output). */
export interface SweepResult {
  readonly run: SweepRun;
  readonly exitCode: number;
  readonly report: RunNumbers | null;
  /** The runner's problems, or what went wrong with the runner itself. */
  readonly why: readonly string[];
}

export interface SweepTotals {
  readonly runs: number;
  readonly ok: number;
  readonly failed: number;
  readonly doubleCharges: number;
  readonly lostInvoices: number;
  readonly unknown: number;
  /** `unknown` by cause (unknown-causes.ts). */
  readonly unknownByCause: Readonly<Record<UnknownCause, number>>;
  /** Runs in which a kill or an outage left more UNKNOWN than its bound. */
  readonly boundsBroken: number;
  /** Invoices FAILED for a network reason (docs/design.md §2.6: none expected). */
  readonly failedNetwork: number;
  readonly outages: number;
  readonly auditFailures: number;
  readonly pgRestarts: number;
  readonly kills: number;
  /** The calls the victims had in flight, summed over the kills: what UNKNOWN may reach. */
  readonly inFlightAtKills: number;
}

export interface SweepGroup extends SweepTotals {
  readonly mode: ProviderMode;
  readonly pgRestart: boolean;
}

export interface SweepSummary extends SweepTotals {
  readonly groups: readonly SweepGroup[];
  readonly failures: readonly (SweepRun & { readonly why: string })[];
  readonly allOk: boolean;
}

/** Sums the results, in all and by (provider mode, PostgreSQL restart). */
export function summarizeSweep(results: readonly SweepResult[]): SweepSummary {
  const keys = [...new Set(results.map(({ run }) => `${run.mode}|${run.pgRestart}`))];
  const groups = keys.map((key): SweepGroup => {
    const [mode, pgRestart] = key.split('|');
    const members = results.filter(({ run }) => `${run.mode}|${run.pgRestart}` === key);
    return { mode: mode as ProviderMode, pgRestart: pgRestart === 'true', ...totals(members) };
  });
  const failures = results
    .filter((result) => !isOk(result))
    .map(({ run, why }) => ({ ...run, why: why[0] ?? 'not ok' }));
  const all = totals(results);
  return { ...all, groups, failures, allOk: all.failed === 0 };
}

function isOk(result: SweepResult): boolean {
  return result.exitCode === 0 && result.report?.ok === true;
}

function totals(results: readonly SweepResult[]): SweepTotals {
  const sum = (pick: (report: RunNumbers) => number) =>
    results.reduce((total, { report }) => total + (report ? pick(report) : 0), 0);
  const ok = results.filter(isOk).length;
  return {
    runs: results.length,
    ok,
    failed: results.length - ok,
    doubleCharges: sum((report) => report.doubleCharges),
    lostInvoices: sum((report) => report.lostInvoices),
    unknown: sum((report) => report.unknown),
    unknownByCause: Object.fromEntries(
      UNKNOWN_CAUSES.map((cause) => [cause, sum((report) => report.unknownByCause[cause])]),
    ) as Record<UnknownCause, number>,
    boundsBroken: results.filter(({ report }) => (report?.unknownBoundsBroken.length ?? 0) > 0)
      .length,
    failedNetwork: sum((report) => report.failedNetwork),
    outages: sum((report) => report.outages),
    auditFailures: results.filter(({ report }) => report !== null && !report.auditOk).length,
    pgRestarts: sum((report) => report.pgRestarts),
    kills: sum((report) => report.kills),
    inFlightAtKills: sum((report) =>
      report.inFlightAtKills.reduce((total, calls) => total + calls, 0),
    ),
  };
}

const COLUMNS = [
  ['provider', 16],
  ['pg restart', 10],
  ['runs', 6],
  ['ok', 6],
  ['double charges', 14],
  ['lost invoices', 13],
  ['unknown', 8],
  ['of which: kill', 14],
  ['outage', 7],
  ['pg crash', 8],
  ['lost answer', 11],
  ['timeout', 7],
  ['unexplained', 11],
  ['bounds broken', 13],
  ['kills', 6],
  ['in flight at kills', 18],
  ['failed (network)', 16],
  ['outages', 8],
  ['audit failures', 14],
] as const;

/** A table by group, a total line, then each failed run and the command that reproduces it. */
export function formatSweepSummary(
  summary: SweepSummary,
  reproduce: (failure: SweepSummary['failures'][number]) => string,
): string {
  const row = (cells: readonly (string | number)[]) =>
    cells
      .map((cell, i) => String(cell).padEnd(COLUMNS[i][1]))
      .join('  ')
      .trimEnd();
  const numbers = (t: SweepTotals) => [
    t.runs,
    t.ok,
    t.doubleCharges,
    t.lostInvoices,
    t.unknown,
    ...UNKNOWN_CAUSES.map((cause) => t.unknownByCause[cause]),
    t.boundsBroken,
    t.kills,
    t.inFlightAtKills,
    t.failedNetwork,
    t.outages,
    t.auditFailures,
  ];
  const lines = [
    row(COLUMNS.map(([title]) => title)),
    ...summary.groups.map((group) =>
      row([group.mode, group.pgRestart ? `yes (${group.pgRestarts})` : 'no', ...numbers(group)]),
    ),
    row(['all', `${summary.pgRestarts} done`, ...numbers(summary)]),
  ];
  if (summary.failures.length === 0) {
    lines.push(`all ${summary.runs} runs ok`);
  } else {
    lines.push(`${summary.failures.length} of ${summary.runs} runs NOT OK:`);
    for (const failure of summary.failures) {
      lines.push(
        `  seed ${failure.seed} ${failure.mode}${failure.pgRestart ? ' with pg restart' : ''}: ${failure.why.split('\n')[0]}`,
      );
      lines.push(`    ${reproduce(failure)}`);
    }
  }
  return lines.join('\n');
}
